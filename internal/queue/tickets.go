package queue

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// ElderlyAge is the age from which a ticket taken with an ID number gets
// priority.
const ElderlyAge = 70

// TakeInput is a request for a ticket.
type TakeInput struct {
	Zone        string  `json:"zone"`               // zone code or prefix
	IDNumber    string  `json:"idNumber,omitempty"` // optional: links the ticket to the person
	Reason      Reason  `json:"priority,omitempty"` // disabled, appointment or green: staff only
	Appointment string  `json:"appointment,omitempty"`
	Channel     Channel `json:"-"` // set by the transport
}

// Take issues a ticket. Anyone may take one (p may be nil) while the hall is
// open; an ID number of someone 70 or older gives elderly priority, other
// priorities are granted by staff who may call tickets.
func (s *Service) Take(ctx context.Context, p *identity.Principal, hallCode string, in TakeInput) (Ticket, error) {
	h, z, err := s.zoneOf(ctx, hallCode, in.Zone)
	if err != nil {
		return Ticket{}, err
	}
	if !s.isOpen(h, s.now()) {
		return Ticket{}, apperr.New(apperr.Conflict, "err.queue.hall_closed", h.Opens, h.Closes)
	}
	t := Ticket{HallID: h.ID, HallCode: h.Code, ZoneID: z.ID, Zone: z.Name, Day: s.today(), No: z.Prefix,
		Channel: in.Channel, Status: Waiting, Appointment: strings.TrimSpace(in.Appointment)}
	if err := s.grantPriority(p, &t, in); err != nil {
		return Ticket{}, err
	}
	if p != nil && p.Kind != identity.Staff && p.Token == nil {
		t.ApplicantID = p.UserID
	}
	now := s.now().Truncate(time.Microsecond) // as stored
	t.Token, t.QueuedAt, t.IssuedAt = newToken(), now, now
	cap := z.DailyCap
	if cap == 0 {
		cap = 999
	}
	ev := Event{HallID: h.ID, Kind: EvTicket, At: now, Zone: z.Name}
	a := audit.New(actor(p), "ticket.take", "ticket", t.Token).With(z.Prefix + " " + string(t.Reason))
	if err := s.store.TakeTicket(ctx, &t, cap, ev, a); err != nil {
		return Ticket{}, err
	}
	return s.withAhead(ctx, t)
}

// grantPriority validates the ID number and decides the ticket's priority.
func (s *Service) grantPriority(p *identity.Principal, t *Ticket, in TakeInput) error {
	if !in.Reason.Valid() {
		return apperr.Field("priority", "err.queue.priority_unknown")
	}
	if in.Reason != Ordinary && !p.Can(identity.PermHallCall) {
		return apperr.New(apperr.Forbidden, "err.queue.priority_staff")
	}
	if in.Reason == Appointment && t.Appointment == "" {
		return apperr.Field("appointment", "err.required")
	}
	t.Reason = in.Reason
	if id := strings.TrimSpace(in.IDNumber); id != "" {
		card, err := idcode.ValidateIDCard(id, s.now())
		if err != nil {
			return apperr.Field("idNumber", "idcode."+string(idcode.ReasonOf(err)))
		}
		t.IDNumber = card.Number
		if t.Reason == Ordinary && card.Age(s.now()) >= ElderlyAge {
			t.Reason = Elderly
		}
	}
	t.Priority = t.Reason.Level()
	return nil
}

// zoneOf finds the zone key of the hall in its cached set-up, reading the
// set-up again before giving up (a zone added by another server process).
func (s *Service) zoneOf(ctx context.Context, hallCode, key string) (Hall, Zone, error) {
	h, err := s.setUp(ctx, hallCode)
	if err != nil {
		return Hall{}, Zone{}, err
	}
	z, ok := findZone(h, key)
	if !ok {
		if h, err = s.loadSetUp(ctx, hallCode); err != nil {
			return Hall{}, Zone{}, err
		}
		if z, ok = findZone(h, key); !ok {
			return Hall{}, Zone{}, apperr.Field("zone", "err.queue.zone_unknown")
		}
	}
	return h, z, nil
}

func findZone(h Hall, key string) (Zone, bool) {
	key = strings.TrimSpace(key)
	for _, z := range h.Zones {
		if strings.EqualFold(z.Code, key) || z.Prefix == strings.ToUpper(key) {
			return z, true
		}
	}
	return Zone{}, false
}

// newToken is a ticket's public id: 16 base32 characters (80 random bits),
// so that nobody can walk through other people's tickets.
func newToken() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

// Ticket returns a ticket by its public id, with the people ahead of it.
func (s *Service) Ticket(ctx context.Context, token string) (Ticket, error) {
	t, err := s.store.Ticket(ctx, token)
	if err != nil {
		return Ticket{}, err
	}
	return s.withAhead(ctx, t)
}

func (s *Service) withAhead(ctx context.Context, t Ticket) (Ticket, error) {
	if t.Status != Waiting {
		return t, nil
	}
	n, err := s.store.Ahead(ctx, t)
	t.Ahead = n
	return t, err
}
