// Package ratelimit keeps per-client token buckets: each key (an IP
// address, a user name) may spend a burst at once and then refills at a
// steady rate. The table of buckets is bounded, and buckets that have
// refilled completely are swept away, so a flood of keys cannot grow it.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// maxKeys bounds the number of buckets a Limiter keeps.
const maxKeys = 100_000

// Limiter limits how often each key may act. A nil Limiter allows
// everything, which is how a rate of 0 turns limiting off.
type Limiter struct {
	mu        sync.Mutex
	perSecond float64
	burst     float64
	max       int
	buckets   map[string]*bucket
	lastSweep time.Time
	now       func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// New returns a limiter allowing perMinute actions a minute per key, all
// of which may be spent at once; it returns nil (no limit) when perMinute
// is 0 or less.
func New(perMinute int, now func() time.Time) *Limiter {
	if perMinute <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{perSecond: float64(perMinute) / 60, burst: float64(perMinute), max: maxKeys,
		buckets: map[string]*bucket{}, lastSweep: now(), now: now}
}

// Allow spends one token of key's bucket. When the bucket is empty it
// answers false and how long until a token is back.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		l.makeRoom()
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSecond)
	b.at = now
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / l.perSecond * float64(time.Second))
		return false, wait
	}
	b.tokens--
	return true, 0
}

// Wait is how long until key's bucket holds a token again, without
// spending one: 0 when it holds one now.
func (l *Limiter) Wait(key string) time.Duration {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	tokens := math.Min(l.burst, b.tokens+l.now().Sub(b.at).Seconds()*l.perSecond)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / l.perSecond * float64(time.Second))
}

// Len is how many keys the limiter currently tracks.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// sweep drops, at most once per refill period, every bucket that would be
// full by now: forgetting it changes nothing.
func (l *Limiter) sweep(now time.Time) {
	full := time.Duration(l.burst / l.perSecond * float64(time.Second))
	if now.Sub(l.lastSweep) < full {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// makeRoom evicts buckets when the table is full: the fullest first would
// need a scan, so it drops an arbitrary tenth, which only ever forgives.
func (l *Limiter) makeRoom() {
	if len(l.buckets) < l.max {
		return
	}
	n := l.max / 10
	for k := range l.buckets {
		if n <= 0 {
			break
		}
		delete(l.buckets, k)
		n--
	}
}

// RetryAfter is d as whole seconds for a Retry-After header, at least 1.
func RetryAfter(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	return max(s, 1)
}
