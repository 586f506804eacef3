// Package appointments is booking a time at the service hall (预约办理):
// slots per working day for each bookable catalog item, booking,
// rescheduling and cancelling by the applicant, a confirmation code, check-in
// at the kiosk that turns the booking into an appointment-priority ticket,
// and a booking block for applicants who repeatedly do not come.
package appointments

import (
	"context"
	"time"

	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/queue"
)

// Status is where a booking stands.
type Status string

// The booking states. A booking still Booked after its slot has ended is a
// no-show (Appointment.Missed); no job has to mark it.
const (
	Booked    Status = "booked"
	CheckedIn Status = "checked_in"
	Cancelled Status = "cancelled"
)

// Appointment is one booking of a slot.
type Appointment struct {
	ID          int64         `json:"-"`
	Code        string        `json:"code"` // confirmation code, e.g. "K7M2Q9TX"
	HallID      int64         `json:"-"`
	HallCode    string        `json:"hall"`
	ItemCode    string        `json:"item"`
	ItemName    string        `json:"itemName"`
	Department  string        `json:"department,omitempty"`
	Day         calendar.Date `json:"date"`
	Starts      string        `json:"starts"` // HH:MM, Shanghai
	Ends        string        `json:"ends"`
	ApplicantID int64         `json:"-"`
	Name        string        `json:"name,omitempty"`
	Status      Status        `json:"status"`
	Ticket      string        `json:"ticket,omitempty"` // the ticket's public id after check-in
	CreatedAt   time.Time     `json:"createdAt"`
}

// EndsAt is the moment the booked slot ends.
func (a Appointment) EndsAt() time.Time { return at(a.Day, a.Ends) }

// StartsAt is the moment the booked slot starts.
func (a Appointment) StartsAt() time.Time { return at(a.Day, a.Starts) }

// Missed reports whether the booking is a no-show at now: still booked
// after its slot ended.
func (a Appointment) Missed(now time.Time) bool {
	return a.Status == Booked && !now.Before(a.EndsAt())
}

// Active reports whether the booking can still be changed or used at now.
func (a Appointment) Active(now time.Time) bool {
	return a.Status == Booked && now.Before(a.EndsAt())
}

// Slot is one bookable period of an item on a day.
type Slot struct {
	Day       calendar.Date `json:"date"`
	Starts    string        `json:"starts"`
	Ends      string        `json:"ends"`
	Capacity  int           `json:"capacity"`
	Booked    int           `json:"booked"`
	Available int           `json:"available"`
	Past      bool          `json:"past,omitempty"` // started already: no longer bookable
}

// Open reports whether the slot can be booked.
func (s Slot) Open() bool { return !s.Past && s.Available > 0 }

// Store keeps bookings and the per-slot counters. Book and Reschedule claim
// a place with a conditional update of the slot's counter, so a full slot
// refuses with TooMany however many clients book at once.
type Store interface {
	// Booked returns the booked count of each slot start of an item's day.
	Booked(ctx context.Context, itemCode string, day calendar.Date) (map[string]int, error)
	// Book claims a place in a's slot (capacity places at most) and stores a;
	// Conflict when the applicant already holds a booking of the item that day.
	Book(ctx context.Context, a *Appointment, capacity int, e audit.Entry) error
	// Reschedule moves the booking to a's (new) day and start, claiming a
	// place there and freeing its old one.
	Reschedule(ctx context.Context, a *Appointment, capacity int, e audit.Entry) error
	// Cancel marks a booked appointment cancelled and frees its place.
	Cancel(ctx context.Context, code string, e audit.Entry) error
	// SetStatus moves a booking from one status to another, storing its
	// ticket; Conflict when it is no longer in from.
	SetStatus(ctx context.Context, code string, from, to Status, ticket string, e audit.Entry) error
	Appointment(ctx context.Context, code string) (Appointment, error)
	// OfApplicant lists an applicant's bookings from day on, soonest first.
	OfApplicant(ctx context.Context, applicantID int64, from calendar.Date) ([]Appointment, error)
}

// Catalog finds the items that can be booked.
type Catalog interface {
	Item(ctx context.Context, code string) (catalog.Item, error)
	Search(ctx context.Context, q catalog.Query) (catalog.Page[catalog.Item], error)
}

// Hall is the service hall side: its hours and zones, and the ticket a
// check-in issues.
type Hall interface {
	Halls(ctx context.Context) ([]queue.Hall, error)
	Hall(ctx context.Context, code string) (queue.Hall, error)
	TakeForAppointment(ctx context.Context, hallCode string, in queue.AppointmentTicket) (queue.Ticket, error)
}

// Calendar gives the working-day calendar in force.
type Calendar interface{ Current() *calendar.Calendar }

// Config tunes booking. The zero value of a field takes its default.
type Config struct {
	SlotMinutes  int    // length of a slot (30)
	SlotCapacity int    // places per slot; 0 spreads the item's daily quota over the day's slots
	Opens        string // first slot, HH:MM (08:30), within the hall's hours
	Closes       string // end of the last slot (17:00)
	HorizonDays  int    // how many days ahead one can book (14)
	NoShows      int    // no-shows … (3)
	NoShowWindow int    // … within this many days (30) …
	BlockDays    int    // … block booking for this many days (30)
	EarlyMinutes int    // check-in opens this long before the slot (60)
	LateMinutes  int    // and closes this long after it ends (15)
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.SlotMinutes, 30)
	def(&c.HorizonDays, 14)
	def(&c.NoShows, 3)
	def(&c.NoShowWindow, 30)
	def(&c.BlockDays, 30)
	def(&c.EarlyMinutes, 60)
	def(&c.LateMinutes, 15)
	if c.Opens == "" {
		c.Opens = "08:30"
	}
	if c.Closes == "" {
		c.Closes = "17:00"
	}
	return c
}

// Service is the appointments domain service.
type Service struct {
	store    Store
	catalog  Catalog
	hall     Hall
	calendar Calendar
	cfg      Config
	now      func() time.Time
}

// NewService returns a Service.
func NewService(store Store, cat Catalog, hall Hall, cal Calendar, cfg Config, now func() time.Time) *Service {
	return &Service{store: store, catalog: cat, hall: hall, calendar: cal, cfg: cfg.withDefaults(), now: now}
}

// Config is the configuration in force, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// at is the moment of hh:mm on day in Shanghai.
func at(day calendar.Date, hhmm string) time.Time {
	m := minutes(hhmm)
	return day.In(calendar.Shanghai).Add(time.Duration(m) * time.Minute)
}
