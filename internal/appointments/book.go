package appointments

import (
	"context"
	"crypto/rand"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// BookInput asks for a slot: an item, a day and the slot's start.
type BookInput struct {
	Item   string `json:"item"`
	Hall   string `json:"hall,omitempty"` // the first hall when empty
	Date   string `json:"date"`           // YYYY-MM-DD
	Starts string `json:"time"`           // HH:MM, a slot's start
}

// Book books a slot for the signed-in applicant and returns the booking
// with its confirmation code.
func (s *Service) Book(ctx context.Context, p *identity.Principal, in BookInput) (Appointment, error) {
	if err := requireUser(p); err != nil {
		return Appointment{}, err
	}
	if err := s.checkBlocked(ctx, p.UserID); err != nil {
		return Appointment{}, err
	}
	it, h, err := s.bookable(ctx, strings.TrimSpace(in.Item), in.Hall)
	if err != nil {
		return Appointment{}, err
	}
	a := Appointment{Code: newCode(), HallID: h.ID, HallCode: h.Code, ItemCode: it.Code, ItemName: it.Name,
		Department: it.DepartmentCode, ApplicantID: p.UserID, Name: p.Name, Status: Booked, CreatedAt: s.now()}
	capacity, err := s.pick(ctx, &a, in.Date, in.Starts)
	if err != nil {
		return Appointment{}, err
	}
	e := audit.New(p.Actor(), "appointment.book", "appointment", a.Code).With(a.ItemCode + " " + a.Day.String() + " " + a.Starts)
	if err := s.store.Book(ctx, &a, capacity, e); err != nil {
		return Appointment{}, err
	}
	return a, nil
}

// pick sets a's day and slot from the input after checking that the slot
// exists and has started neither nor filled up, and returns its capacity.
func (s *Service) pick(ctx context.Context, a *Appointment, date, starts string) (int, error) {
	day, err := calendar.ParseDate(strings.TrimSpace(date))
	if err != nil {
		return 0, apperr.Field("date", "err.appt.date")
	}
	if !s.Bookable(day) {
		return 0, apperr.Field("date", "err.appt.day_closed")
	}
	it, h, err := s.bookable(ctx, a.ItemCode, a.HallCode)
	if err != nil {
		return 0, err
	}
	slots, err := s.slotsOf(ctx, it, h, day)
	if err != nil {
		return 0, err
	}
	sl, ok := slotAt(slots, strings.TrimSpace(starts))
	switch {
	case !ok || sl.Past:
		return 0, apperr.Field("time", "err.appt.slot_unknown")
	case sl.Available == 0:
		return 0, apperr.New(apperr.TooMany, "err.appt.slot_full")
	}
	a.Day, a.Starts, a.Ends = day, sl.Starts, sl.Ends
	return sl.Capacity, nil
}

// checkBlocked refuses booking to an applicant blocked for no-shows.
func (s *Service) checkBlocked(ctx context.Context, applicantID int64) error {
	until, err := s.BlockedUntil(ctx, applicantID)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return apperr.New(apperr.Forbidden, "err.appt.blocked", s.cfg.NoShows, s.cfg.NoShowWindow, until.String())
	}
	return nil
}

// BlockedUntil is the day the applicant may book again after too many
// no-shows; the zero Date when they may book now.
func (s *Service) BlockedUntil(ctx context.Context, applicantID int64) (calendar.Date, error) {
	today := s.today()
	as, err := s.store.OfApplicant(ctx, applicantID, today.AddDays(-(s.cfg.NoShowWindow + s.cfg.BlockDays)))
	if err != nil {
		return calendar.Date{}, err
	}
	var missed []calendar.Date
	for _, a := range as {
		if a.Missed(s.now()) {
			missed = append(missed, a.Day)
		}
	}
	return BlockedUntil(missed, s.cfg.NoShows, s.cfg.NoShowWindow, s.cfg.BlockDays, today), nil
}

// Reschedule moves the applicant's booking to another slot.
func (s *Service) Reschedule(ctx context.Context, p *identity.Principal, code string, in BookInput) (Appointment, error) {
	a, err := s.changeable(ctx, p, code)
	if err != nil {
		return Appointment{}, err
	}
	old := a.Day.String() + " " + a.Starts
	capacity, err := s.pick(ctx, &a, in.Date, in.Starts)
	if err != nil {
		return Appointment{}, err
	}
	e := audit.New(p.Actor(), "appointment.reschedule", "appointment", a.Code).With(old + " → " + a.Day.String() + " " + a.Starts)
	if err := s.store.Reschedule(ctx, &a, capacity, e); err != nil {
		return Appointment{}, err
	}
	return a, nil
}

// Cancel cancels the applicant's booking and frees its place.
func (s *Service) Cancel(ctx context.Context, p *identity.Principal, code string) (Appointment, error) {
	a, err := s.changeable(ctx, p, code)
	if err != nil {
		return Appointment{}, err
	}
	if err := s.store.Cancel(ctx, a.Code, audit.New(p.Actor(), "appointment.cancel", "appointment", a.Code)); err != nil {
		return Appointment{}, err
	}
	a.Status = Cancelled
	return a, nil
}

// changeable loads a booking its holder may still change.
func (s *Service) changeable(ctx context.Context, p *identity.Principal, code string) (Appointment, error) {
	a, err := s.Get(ctx, p, code)
	if err != nil {
		return Appointment{}, err
	}
	if !a.Active(s.now()) {
		return Appointment{}, apperr.New(apperr.Conflict, "err.appt.not_active")
	}
	return a, nil
}

// Get returns a booking to its holder or to hall staff.
func (s *Service) Get(ctx context.Context, p *identity.Principal, code string) (Appointment, error) {
	if err := requireUser(p); err != nil {
		return Appointment{}, err
	}
	a, err := s.store.Appointment(ctx, NormalizeCode(code))
	if err != nil {
		return Appointment{}, err
	}
	if a.ApplicantID != p.UserID && !p.Can(identity.PermHallCall) {
		return Appointment{}, apperr.New(apperr.NotFound, "err.appt.not_found")
	}
	return a, nil
}

// Mine lists the applicant's bookings from a week ago on, soonest first.
func (s *Service) Mine(ctx context.Context, p *identity.Principal) ([]Appointment, error) {
	if err := requireUser(p); err != nil {
		return nil, err
	}
	return s.store.OfApplicant(ctx, p.UserID, s.today().AddDays(-7))
}

// requireUser admits signed-in users; appointments belong to a person, not
// to an API token.
func requireUser(p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if p.Token != nil || p.UserID == 0 {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// codeAlphabet leaves out characters that read alike (0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newCode is a confirmation code: 8 characters, about 40 random bits.
func newCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode is a typed code as stored: trimmed, upper case.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
