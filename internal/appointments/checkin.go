package appointments

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
)

// CheckIn turns a booking into an appointment-priority ticket at the hall's
// kiosk (or by API). Anyone holding the confirmation code may check in, on
// the booked day from EarlyMinutes before the slot until LateMinutes after
// it; the booking is claimed first, so a code checks in once.
func (s *Service) CheckIn(ctx context.Context, p *identity.Principal, hallCode, code string) (Appointment, queue.Ticket, error) {
	a, err := s.store.Appointment(ctx, NormalizeCode(code))
	if apperr.Is(err, apperr.NotFound) {
		return Appointment{}, queue.Ticket{}, apperr.Field("code", "err.appt.not_found")
	}
	if err != nil {
		return Appointment{}, queue.Ticket{}, err
	}
	if err := s.checkInAllowed(a, hallCode); err != nil {
		return Appointment{}, queue.Ticket{}, err
	}
	actor := audit.Actor{Name: "kiosk"}
	if p != nil {
		actor = p.Actor()
	}
	e := audit.New(actor, "appointment.checkin", "appointment", a.Code)
	if err := s.store.SetStatus(ctx, a.Code, Booked, CheckedIn, "", e); err != nil {
		return Appointment{}, queue.Ticket{}, err
	}
	t, err := s.hall.TakeForAppointment(ctx, a.HallCode, queue.AppointmentTicket{Code: a.Code,
		Department: a.Department, ApplicantID: a.ApplicantID})
	if err != nil {
		// Give the booking back so that the visitor can try again.
		_ = s.store.SetStatus(ctx, a.Code, CheckedIn, Booked, "", e.With("undone"))
		return Appointment{}, queue.Ticket{}, err
	}
	a.Status, a.Ticket = CheckedIn, t.Token
	if err := s.store.SetStatus(ctx, a.Code, CheckedIn, CheckedIn, t.Token, e.With(t.No)); err != nil {
		return Appointment{}, queue.Ticket{}, err
	}
	return a, t, nil
}

// checkInAllowed checks the booking's state, hall, day and time.
func (s *Service) checkInAllowed(a Appointment, hallCode string) error {
	now := s.now()
	switch {
	case a.Status == CheckedIn:
		return apperr.New(apperr.Conflict, "err.appt.checked_in")
	case a.Status != Booked:
		return apperr.New(apperr.Conflict, "err.appt.not_active")
	case hallCode != "" && hallCode != a.HallCode:
		return apperr.New(apperr.Conflict, "err.appt.other_hall")
	case a.Day != s.today():
		return apperr.New(apperr.Conflict, "err.appt.not_today", a.Day.String(), a.Starts)
	}
	opens := a.StartsAt().Add(-time.Duration(s.cfg.EarlyMinutes) * time.Minute)
	closes := a.EndsAt().Add(time.Duration(s.cfg.LateMinutes) * time.Minute)
	if now.Before(opens) || !now.Before(closes) {
		return apperr.New(apperr.Conflict, "err.appt.checkin_time", a.Starts, a.Ends)
	}
	return nil
}
