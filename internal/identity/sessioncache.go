package identity

import (
	"sync"
	"time"
)

// sessionTTL is how long a session or an API token read from the store is
// trusted without reading it again. Every API call authenticates, and
// reading the session and its user (or the token) was a query or two per
// request; a logout or a revocation on this node takes effect at once, on
// another node (or a changed role or a disabled account) within this time.
const sessionTTL = 5 * time.Second

// maxCachedSessions bounds a cache; past it, the cache starts afresh.
const maxCachedSessions = 50000

// session is what a session token stands for.
type session struct {
	sess Session
	user User
}

type cached[V any] struct {
	v  V
	at time.Time
}

// ttlCache keeps recently read credentials by token hash for sessionTTL.
type ttlCache[V any] struct {
	mu sync.Mutex
	m  map[string]cached[V]
}

func (c *ttlCache[V]) get(hash string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.Sub(e.at) >= sessionTTL || now.Before(e.at) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v; a fresh entry keeps the time it was read from the store, so
// updating it does not extend its trust.
func (c *ttlCache[V]) put(hash string, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[hash]; ok && now.Sub(e.at) < sessionTTL {
		e.v = v
		c.m[hash] = e
		return
	}
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cached[V]{}
	}
	c.m[hash] = cached[V]{v: v, at: now}
}

func (c *ttlCache[V]) drop(hash string) {
	c.mu.Lock()
	delete(c.m, hash)
	c.mu.Unlock()
}

// clear forgets everything (a token was revoked: its hash is not at hand).
func (c *ttlCache[V]) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
