package calendar

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"onevisit/internal/audit"
)

// Store keeps calendar revisions loaded by administrators.
type Store interface {
	CalendarRevisions(ctx context.Context) ([]Revision, error)
	AddCalendarRevision(ctx context.Context, r *Revision, a audit.Entry) error
}

// Service serves the current calendar: the built-in notices 2018–2026 with
// every revision an administrator has loaded applied on top, in order of
// publication.
type Service struct {
	store   Store
	current atomic.Pointer[Calendar]
	now     func() time.Time
}

// NewService loads the stored revisions and builds the current calendar.
func NewService(ctx context.Context, store Store, now func() time.Time) (*Service, error) {
	s := &Service{store: store, now: now}
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) reload(ctx context.Context) error {
	revs, err := s.store.CalendarRevisions(ctx)
	if err != nil {
		return fmt.Errorf("load calendar revisions: %w", err)
	}
	builtin := Revision{ID: 0, Note: "built-in 2018–2026", Days: Builtin().Days()}
	s.current.Store(FromRevisions(append([]Revision{builtin}, revs...)))
	return nil
}

// Current is the calendar in force.
func (s *Service) Current() *Calendar { return s.current.Load() }

// Revisions lists the loaded revisions (without the built-in one).
func (s *Service) Revisions(ctx context.Context) ([]Revision, error) {
	return s.store.CalendarRevisions(ctx)
}

// AddRevision stores a notice (the JSON shape of ParseNotice, already
// parsed into days) as a new revision and makes it current.
func (s *Service) AddRevision(ctx context.Context, actor audit.Actor, publishedAt time.Time, note string, days []Day) (Revision, error) {
	r := Revision{PublishedAt: publishedAt, Note: note, Days: days}
	if r.PublishedAt.IsZero() {
		r.PublishedAt = s.now()
	}
	e := audit.New(actor, "calendar.revision", "calendar", r.PublishedAt.Format(time.DateOnly)).
		With(fmt.Sprintf("%d days: %s", len(days), note))
	if err := s.store.AddCalendarRevision(ctx, &r, e); err != nil {
		return Revision{}, err
	}
	return r, s.reload(ctx)
}
