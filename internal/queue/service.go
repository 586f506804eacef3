package queue

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// Store keeps halls, tickets and the event feed. Every write takes the audit
// entry that records it and, where screens must know, the hall event; both
// are written in the same transaction as the change.
type Store interface {
	SaveHall(ctx context.Context, h *Hall, a audit.Entry) error
	SaveZone(ctx context.Context, z *Zone, a audit.Entry) error
	SaveWindow(ctx context.Context, w *Window, a audit.Entry) error
	Halls(ctx context.Context) ([]Hall, error)
	// Hall returns a hall by code with its zones and windows.
	Hall(ctx context.Context, code string) (Hall, error)
	// HallOfWindow returns the hall that window id belongs to.
	HallOfWindow(ctx context.Context, windowID int64) (Hall, error)
	// Window returns one window with its live state, without its zones.
	Window(ctx context.Context, id int64) (Window, error)

	// TakeTicket numbers t (zone prefix + daily sequence) and stores it,
	// refusing with TooMany when the zone's daily cap is reached and with
	// Conflict when t.IDNumber already waits in the zone today.
	TakeTicket(ctx context.Context, t *Ticket, cap int, ev Event, a audit.Entry) error
	Ticket(ctx context.Context, token string) (Ticket, error)
	TicketByID(ctx context.Context, id int64) (Ticket, error)
	// Ahead counts the waiting tickets of t's zone called before t.
	Ahead(ctx context.Context, t Ticket) (int, error)
	// Waiting counts today's waiting tickets per zone id.
	Waiting(ctx context.Context, hallID int64, day calendar.Date) (map[int64]int, error)
	// RecentCalls lists today's most recently called tickets, newest first.
	RecentCalls(ctx context.Context, hallID int64, day calendar.Date, limit int) ([]Ticket, error)

	// SetWindow stores the window's state and clerk if its state is still
	// from (any state when from is "").
	SetWindow(ctx context.Context, w Window, from WindowState, ev Event, a audit.Entry) error
	// CallNext finishes the window's current ticket and claims the next one
	// for it atomically: the oldest waiting ticket of the highest priority
	// among the zones it serves, ordinary tickets first once the window has
	// made maxRun priority calls in a row. Two windows never get the same
	// ticket. NotFound when nobody waits.
	CallNext(ctx context.Context, w Window, day calendar.Date, maxRun int, ev Event, a audit.Entry) (Ticket, error)
	// UpdateTicket stores t if it is still called at windowID; when t is no
	// longer called the window's current ticket is cleared.
	UpdateTicket(ctx context.Context, t *Ticket, windowID int64, ev Event, a audit.Entry) error

	// Events returns a hall's events after seq, oldest first (hallID 0: all halls).
	Events(ctx context.Context, hallID, after int64, limit int) ([]Event, error)
	// LastEventSeq is the newest event's seq, 0 when there is none.
	LastEventSeq(ctx context.Context) (int64, error)

	// History returns the hall's tickets of the days from … to (both
	// included), for statistics and staffing advice (stats.go).
	History(ctx context.Context, hallID int64, from, to calendar.Date) ([]Visit, error)
}

// Calendar gives the working-day calendar in force.
type Calendar interface{ Current() *calendar.Calendar }

// CaseVisits records that a ticket's visit served a case; the cases package
// implements it (cases.Service.RecordVisit).
type CaseVisits interface {
	RecordVisit(ctx context.Context, caseNo, ticketNo string) error
}

// MaxRecalls is how often a called ticket may be called again before the
// clerk must mark it a no-show.
const MaxRecalls = 3

// Service is the hall domain service.
type Service struct {
	store    Store
	calendar Calendar
	visits   CaseVisits
	hub      *Hub
	setups   setUpCache // halls' set-up for taking and calling (setupcache.go)
	now      func() time.Time
}

// NewService returns a Service. visits may be nil: completed tickets are
// then not linked to cases.
func NewService(store Store, cal Calendar, visits CaseVisits, now func() time.Time) *Service {
	return &Service{store: store, calendar: cal, visits: visits, hub: NewHub(), now: now}
}

// Hub is the service's fan-out of live events to subscribers in this process.
func (s *Service) Hub() *Hub { return s.hub }

func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// Halls lists the halls (without zones and windows).
func (s *Service) Halls(ctx context.Context) ([]Hall, error) { return s.store.Halls(ctx) }

// Hall returns a hall with its zones and windows.
func (s *Service) Hall(ctx context.Context, code string) (Hall, error) {
	return s.store.Hall(ctx, code)
}

// Board is what the screens show: the hall, the waiting count per zone, and
// today's recent calls.
type Board struct {
	Hall    Hall          `json:"hall"`
	Waiting map[int64]int `json:"waiting"` // zone id → tickets waiting
	Total   int           `json:"totalWaiting"`
	Recent  []Ticket      `json:"recent"`
	Open    bool          `json:"open"` // the hall takes tickets now
	At      time.Time     `json:"at"`
}

// Board returns the hall's current board. It holds no personal data and is
// public, like the screen in the hall.
func (s *Service) Board(ctx context.Context, code string) (Board, error) {
	h, err := s.store.Hall(ctx, code)
	if err != nil {
		return Board{}, err
	}
	day := s.today()
	waiting, err := s.store.Waiting(ctx, h.ID, day)
	if err != nil {
		return Board{}, err
	}
	recent, err := s.store.RecentCalls(ctx, h.ID, day, 8)
	if err != nil {
		return Board{}, err
	}
	b := Board{Hall: h, Waiting: waiting, Recent: recent, Open: s.isOpen(h, s.now()), At: s.now()}
	for _, n := range waiting {
		b.Total += n
	}
	return b, nil
}

// Events returns the hall's events after seq, for a screen that reconnects.
func (s *Service) Events(ctx context.Context, hallID, after int64) ([]Event, error) {
	return s.store.Events(ctx, hallID, after, 500)
}

// actor is the audit actor of p; a kiosk or phone user is anonymous.
func actor(p *identity.Principal) audit.Actor {
	if p == nil {
		return audit.Actor{Name: "anonymous"}
	}
	return p.Actor()
}

func notFound() error { return apperr.New(apperr.NotFound, "err.queue.not_found") }
