package queue

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
)

// AppointmentTicket is a checked-in booking asking for its ticket.
type AppointmentTicket struct {
	Code        string // the booking's confirmation code
	Department  string // the booked item's department: picks the zone
	ApplicantID int64  // the applicant who booked
}

// TakeForAppointment issues the appointment-priority ticket of a booking
// the appointments service has checked in (预约签到). It is the one path to
// appointment priority that needs no staff: the caller vouches for the
// booking. The ticket goes to the zone of the item's department, or to the
// hall's first zone when none serves it.
func (s *Service) TakeForAppointment(ctx context.Context, hallCode string, in AppointmentTicket) (Ticket, error) {
	h, err := s.setUp(ctx, hallCode)
	if err != nil {
		return Ticket{}, err
	}
	if len(h.Zones) == 0 {
		return Ticket{}, apperr.Field("zone", "err.queue.zone_unknown")
	}
	z := h.Zones[0]
	for _, c := range h.Zones {
		if in.Department != "" && c.Department == in.Department {
			z = c
			break
		}
	}
	now := s.now().Truncate(time.Microsecond)
	t := Ticket{HallID: h.ID, HallCode: h.Code, ZoneID: z.ID, Zone: z.Name, Day: s.today(), No: z.Prefix,
		Reason: Appointment, Priority: Appointment.Level(), Channel: Kiosk, Status: Waiting, Appointment: in.Code,
		ApplicantID: in.ApplicantID, Token: newToken(), QueuedAt: now, IssuedAt: now}
	ev := Event{HallID: h.ID, Kind: EvTicket, At: now, Zone: z.Name}
	a := audit.New(audit.Actor{Name: "kiosk"}, "ticket.take", "ticket", t.Token).With(z.Prefix + " appointment " + in.Code)
	// A booked visitor gets a ticket even when the zone's daily cap is
	// reached: the booking already reserved the visit.
	if err := s.store.TakeTicket(ctx, &t, 999, ev, a); err != nil {
		return Ticket{}, err
	}
	return s.withAhead(ctx, t)
}
