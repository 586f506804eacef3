package ratelimit

import (
	"strings"
	"time"
)

// Limits are the server's limiters, shared by the web pages and the API so
// that a client cannot double its allowance by switching between them. A
// nil field is no limit.
type Limits struct {
	Login   *Limiter // sign-in attempts, per IP address and per user name
	Tickets *Limiter // queue tickets taken anonymously, per IP address
	Public  *Limiter // public pages and anonymous API calls, per IP address
}

// Rates are the configured allowances per minute; 0 turns one off.
type Rates struct{ Login, Tickets, Public int }

// NewLimits returns the limiters for r.
func NewLimits(r Rates, now func() time.Time) Limits {
	return Limits{Login: New(r.Login, now), Tickets: New(r.Tickets, now), Public: New(r.Public, now)}
}

// LoginWait is how long the address, or the user name, must wait before
// trying to sign in again: 0 when it may try now. Only failures count (see
// LoginFailed), so a hall full of staff behind one address signs in freely
// while guessing passwords, from one address or many, is slowed down.
func (l Limits) LoginWait(ip, username string) time.Duration {
	return max(l.Login.Wait("ip:"+ip), l.Login.Wait(userKey(username)))
}

// LoginFailed spends a sign-in attempt of the address and of the user name.
func (l Limits) LoginFailed(ip, username string) {
	l.Login.Allow("ip:" + ip)
	l.Login.Allow(userKey(username))
}

// userKey is the bucket key of a user name, compared without case.
func userKey(username string) string {
	return "user:" + strings.ToLower(strings.TrimSpace(username))
}
