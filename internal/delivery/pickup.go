package delivery

import (
	"context"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// MaxCodeAttempts is how many wrong pickup codes lock a pickup; the
// applicant then chooses again and gets a new code.
const MaxCodeAttempts = 5

// HandoverInput is what the clerk enters when handing a result over.
type HandoverInput struct {
	Code     string `json:"code"`
	IDNumber string `json:"idNumber"` // of the person collecting, checked against the case
	Name     string `json:"name,omitempty"`
	Window   string `json:"window,omitempty"`
}

// Handover releases the issued result of case no to the person in front
// of staff member p: only against the pickup code and the ID number of the
// applicant or the case's agent. It records who handed what to whom and
// moves the case to delivered.
func (s *Service) Handover(ctx context.Context, p *identity.Principal, no string, in HandoverInput) (Delivery, error) {
	if err := requireStaff(p); err != nil {
		return Delivery{}, err
	}
	c, err := s.cases.Case(ctx, p, no)
	if err != nil {
		return Delivery{}, err
	}
	d, err := s.store.Delivery(ctx, no)
	if err != nil {
		return Delivery{}, err
	}
	if err := s.checkPickup(ctx, p, c, d, in.Code); err != nil {
		return Delivery{}, err
	}
	h, err := s.collector(c, in)
	if err != nil {
		return Delivery{}, err
	}
	h.By, h.Window, h.At = p.Name, firstOf(strings.TrimSpace(in.Window), d.Place), s.now().UTC()
	a := audit.New(p.Actor(), "delivery.handover", "case", no).With(h.ToRole + " " + h.MaskedID())
	if err := s.store.RecordHandover(ctx, no, h, a); err != nil {
		return Delivery{}, err
	}
	if err := s.deliver(ctx, p, no, "handover "+h.ToRole); err != nil {
		return Delivery{}, err
	}
	return s.store.Delivery(ctx, no)
}

// checkPickup says whether the pickup of case c may be handed over with
// code; a wrong code is counted.
func (s *Service) checkPickup(ctx context.Context, p *identity.Principal, c cases.Case, d Delivery, code string) error {
	switch {
	case !d.Method.Pickup():
		return apperr.New(apperr.Conflict, "err.delivery.not_pickup")
	case d.Handover != nil:
		return apperr.New(apperr.Conflict, "err.delivery.handed_over")
	case c.Status != cases.Issued:
		return apperr.New(apperr.Conflict, "err.delivery.not_issued")
	case d.Attempts >= MaxCodeAttempts:
		return apperr.New(apperr.Conflict, "err.delivery.code_locked")
	}
	if !codeMatches(d.CodeHash, code) {
		a := audit.New(p.Actor(), "delivery.code_wrong", "case", c.No)
		if err := s.store.PickupFailed(ctx, c.No, a); err != nil {
			return err
		}
		return apperr.Field("code", "err.delivery.code_wrong")
	}
	return nil
}

// collector checks the ID number against the case: the applicant (a
// natural person) or the agent named on the case.
func (s *Service) collector(c cases.Case, in HandoverInput) (Handover, error) {
	card, err := idcode.ValidateIDCard(in.IDNumber, s.now())
	if err != nil {
		return Handover{}, apperr.Field("idNumber", "err.delivery.id_invalid")
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case c.Applicant.Kind == identity.Person && sameID(c.Applicant.IDNumber, card.Number):
		return Handover{ToName: firstOf(name, c.Applicant.Name), ToID: card.Number, ToRole: "applicant"}, nil
	case sameID(c.Agent.IDNumber, card.Number):
		return Handover{ToName: firstOf(name, c.Agent.Name), ToID: card.Number, ToRole: "agent"}, nil
	}
	return Handover{}, apperr.Field("idNumber", "err.delivery.id_mismatch")
}

func sameID(onCase, given string) bool {
	return onCase != "" && strings.EqualFold(strings.TrimSpace(onCase), given)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
