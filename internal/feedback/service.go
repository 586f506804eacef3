package feedback

import (
	"context"
	"time"

	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// Store keeps ratings and rectification tasks. Every write takes the audit
// entry that records it, written in the same transaction.
type Store interface {
	// CreateRating stores r and, for a 差评, its task t (nil otherwise),
	// setting their IDs. A second rating of the same case in the same mode
	// (and, on site, for the same ticket) is a Conflict.
	CreateRating(ctx context.Context, r *Rating, t *Task, a audit.Entry) error
	Ratings(ctx context.Context, f RatingFilter) ([]Rating, error)
	Task(ctx context.Context, id int64) (Task, error)
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// UpdateTask stores t if its stored status is still from (a Conflict
	// otherwise); with invalidate it also marks the task's rating invalid.
	UpdateTask(ctx context.Context, t *Task, from TaskStatus, invalidate bool, a audit.Entry) error
	// LinkKey is the secret that signs rating links, created on first use.
	LinkKey(ctx context.Context) ([]byte, error)
	// DecidedCases lists the cases decided in [From, To) that match f.
	DecidedCases(ctx context.Context, f MetricsFilter) ([]cases.Case, error)
	// TaskCounts counts the tasks opened in [From, To) that match f,
	// less those excluded on appeal.
	TaskCounts(ctx context.Context, f MetricsFilter) (TaskCounts, error)
}

// CaseReader reads a case without a principal's view of it.
type CaseReader interface {
	Case(ctx context.Context, no string) (cases.Case, error)
}

// Calendar gives the working-day calendar in force.
type Calendar interface{ Current() *calendar.Calendar }

// RatingFilter selects ratings.
type RatingFilter struct {
	CaseNo     string
	Department string
	ItemCode   string
	From, To   time.Time // created in [From, To); zero means open-ended
	PoorOnly   bool
	Limit      int
	Offset     int // ratings skipped, for paging
}

// TaskFilter selects rectification tasks.
type TaskFilter struct {
	Department string
	Statuses   []TaskStatus
	DueBefore  calendar.Date // due strictly before this day
	Overdue    bool          // only tasks flagged overdue
	Limit      int
}

// Config holds the local rules, which differ between places.
type Config struct {
	RectifyDays   int           // working days to rectify a 差评 (5, 7 or 15 seen; default 5)
	SatisfiedFrom Level         // lowest level counted as satisfied (default 满意; 基本满意 to count it too)
	LinkTTL       time.Duration // how long an SMS rating link works (default 30 days)
}

func (c Config) withDefaults() Config {
	if c.RectifyDays <= 0 {
		c.RectifyDays = 5
	}
	if !c.SatisfiedFrom.Valid() {
		c.SatisfiedFrom = Good
	}
	if c.LinkTTL <= 0 {
		c.LinkTTL = 30 * 24 * time.Hour
	}
	return c
}

// Service is the feedback domain service.
type Service struct {
	store    Store
	cases    CaseReader
	calendar Calendar
	cfg      Config
	now      func() time.Time
	rollups  Rollups // nil: Metrics reads every case and rating
}

// NewService returns a Service; zero fields of cfg take their defaults.
func NewService(store Store, cr CaseReader, cal Calendar, cfg Config, now func() time.Time) *Service {
	return &Service{store: store, cases: cr, calendar: cal, cfg: cfg.withDefaults(), now: now}
}

// Config is the configuration in force, defaults filled in.
func (s *Service) Config() Config { return s.cfg }
