package identity

import (
	"sync"
	"time"
)

// sessionTTL is how long a session read from the store is trusted without
// reading it again. Every API call authenticates, and reading the session
// and its user was two queries per request; a logout on this node takes
// effect at once, on another node (or a changed role or a disabled
// account) within this time.
const sessionTTL = 5 * time.Second

// maxCachedSessions bounds the cache; past it, the cache starts afresh.
const maxCachedSessions = 50000

type cachedSession struct {
	sess Session
	user User
	at   time.Time
}

// sessionCache keeps recently read sessions by token hash.
type sessionCache struct {
	mu sync.Mutex
	m  map[string]cachedSession
}

func (c *sessionCache) get(hash string, now time.Time) (Session, User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || now.Sub(e.at) >= sessionTTL || now.Before(e.at) {
		return Session{}, User{}, false
	}
	return e.sess, e.user, true
}

func (c *sessionCache) put(hash string, sess Session, u User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[hash]; ok && now.Sub(e.at) < sessionTTL {
		e.sess = sess
		c.m[hash] = e
		return
	}
	if c.m == nil || len(c.m) >= maxCachedSessions {
		c.m = map[string]cachedSession{}
	}
	c.m[hash] = cachedSession{sess: sess, user: u, at: now}
}

func (c *sessionCache) drop(hash string) {
	c.mu.Lock()
	delete(c.m, hash)
	c.mu.Unlock()
}
