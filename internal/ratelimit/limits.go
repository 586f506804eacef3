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

// AllowLogin spends a sign-in attempt of the IP address and of the user
// name (compared without case): guessing one account's password from many
// addresses is as limited as guessing many from one.
func (l Limits) AllowLogin(ip, username string) (bool, time.Duration) {
	if ok, wait := l.Login.Allow("ip:" + ip); !ok {
		return false, wait
	}
	if username == "" {
		return true, 0
	}
	return l.Login.Allow("user:" + strings.ToLower(strings.TrimSpace(username)))
}
