package queue

import (
	"context"
	"slices"
	"sync"
	"time"
)

// SetUpTTL is how long a hall's set-up (hall, zones, windows and the zones
// they serve) is reused by taking and calling before it is read again. This
// process forgets it at once when it saves the set-up; other processes
// pick a change up within the TTL.
const SetUpTTL = 5 * time.Second

// setUpCache keeps halls' set-up by code. The windows' live fields (state,
// clerk, current ticket) in it are stale by design: whoever needs them
// reads the window itself (Store.Window).
type setUpCache struct {
	mu    sync.Mutex
	halls map[string]cachedHall
}

type cachedHall struct {
	hall Hall
	at   time.Time // wall-clock time of the read, not the injected clock
}

func (c *setUpCache) get(code string) (Hall, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.halls[code]
	if !ok || time.Since(e.at) > SetUpTTL {
		return Hall{}, false
	}
	return e.hall, true
}

func (c *setUpCache) put(h Hall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.halls == nil {
		c.halls = map[string]cachedHall{}
	}
	c.halls[h.Code] = cachedHall{hall: h, at: time.Now()}
}

// ofWindow finds the cached hall that window id belongs to.
func (c *setUpCache) ofWindow(id int64) (Hall, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.halls {
		if time.Since(e.at) <= SetUpTTL && slices.ContainsFunc(e.hall.Windows, func(w Window) bool { return w.ID == id }) {
			return e.hall, true
		}
	}
	return Hall{}, false
}

func (c *setUpCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.halls)
}

// setUp returns the hall's set-up, from the cache when it is fresh.
func (s *Service) setUp(ctx context.Context, code string) (Hall, error) {
	if h, ok := s.setups.get(code); ok {
		return h, nil
	}
	return s.loadSetUp(ctx, code)
}

// loadSetUp reads the hall's set-up from the store and caches it.
func (s *Service) loadSetUp(ctx context.Context, code string) (Hall, error) {
	h, err := s.store.Hall(ctx, code)
	if err != nil {
		return Hall{}, err
	}
	s.setups.put(h)
	return h, nil
}

// setUpOfWindow returns the set-up of the hall window id belongs to.
func (s *Service) setUpOfWindow(ctx context.Context, id int64) (Hall, error) {
	if h, ok := s.setups.ofWindow(id); ok {
		return h, nil
	}
	h, err := s.store.HallOfWindow(ctx, id)
	if err != nil {
		return Hall{}, err
	}
	s.setups.put(h)
	return h, nil
}
