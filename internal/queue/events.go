package queue

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Hub fans live events out to the subscribers of this process (the screens'
// server-sent-event streams). Events reach every process through the
// database: each one runs Poll, which reads new hall_events rows and
// publishes them here.
type Hub struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
}

// Subscription receives the events of one hall. C is closed when the hub
// closes or the subscriber fell too far behind; the client then reconnects
// and catches up from its last seq.
type Subscription struct {
	C      chan Event
	hallID int64
	hub    *Hub
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[*Subscription]struct{}{}} }

// Subscribe starts receiving events of hallID (0: all halls).
func (h *Hub) Subscribe(hallID int64) *Subscription {
	s := &Subscription{C: make(chan Event, 256), hallID: hallID, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.C)
		return s
	}
	h.subs[s] = struct{}{}
	return s
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	if _, ok := s.hub.subs[s]; ok {
		delete(s.hub.subs, s)
		close(s.C)
	}
}

// Publish hands ev to every subscriber of its hall without blocking; a
// subscriber whose buffer is full is dropped so one stuck screen cannot
// hold up the others.
func (h *Hub) Publish(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.hallID != 0 && s.hallID != ev.HallID {
			continue
		}
		select {
		case s.C <- ev:
		default:
			delete(h.subs, s)
			close(s.C)
		}
	}
}

// Close ends every subscription, so that streams end when the server stops.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for s := range h.subs {
		delete(h.subs, s)
		close(s.C)
	}
}

// Poll reads new hall events from the store every interval and publishes
// them on the hub, until ctx ends; then it closes the hub. It starts after
// the newest event at the time it is called.
func (s *Service) Poll(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	defer s.hub.Close()
	last, err := s.store.LastEventSeq(ctx)
	if err != nil {
		return err
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		evs, err := s.store.Events(ctx, 0, last, 1000)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("hall events poll", "err", err)
			}
			continue
		}
		for _, ev := range evs {
			s.hub.Publish(ev)
			last = ev.Seq
		}
	}
}
