package cases

import (
	"context"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// Tick is the state of one material at application or at the window.
type Tick struct {
	Code       string        `json:"code"`
	Received   bool          `json:"received"`
	PromisedBy calendar.Date `json:"promisedBy,omitzero"` // tolerant material promised by this day
	Problem    string        `json:"problem,omitempty"`
	UploadSHA  string        `json:"upload,omitempty"`
}

// Application is what an applicant or a clerk submits.
type Application struct {
	ItemCode  string            `json:"itemCode"`
	Applicant Applicant         `json:"applicant"` // at the window; online it is the account's
	Agent     Agent             `json:"agent,omitzero"`
	Form      map[string]string `json:"form,omitempty"`
	Materials []Tick            `json:"materials"`
	Draft     bool              `json:"draft,omitempty"`    // online: save without submitting
	Decision  Action            `json:"decision,omitempty"` // window: accept, notice or refuse at once
	Reason    string            `json:"reason,omitempty"`
	Window    string            `json:"window,omitempty"`
}

// Apply creates a case: online by the applicant (a draft, or submitted for
// pre-review), or at any window by a clerk for any item (received, then
// accepted, noticed or refused at once if a decision is given). A repeated
// idempotency key returns the case the first call created.
func (s *Service) Apply(ctx context.Context, p *identity.Principal, in Application, idemKey string) (Case, error) {
	window := p.Can(identity.PermCasesAccept)
	if !window {
		if err := p.Require(identity.PermCasesApply); err != nil {
			return Case{}, err
		}
	}
	item, err := s.catalog.Item(ctx, strings.TrimSpace(in.ItemCode))
	if apperr.Is(err, apperr.NotFound) {
		return Case{}, apperr.Field("itemCode", "err.item_unknown")
	}
	if err != nil {
		return Case{}, err
	}
	c := s.newCase(item, in)
	if window {
		err = s.windowApplicant(&c, in)
	} else {
		err = s.onlineApplicant(ctx, p, &c, in)
	}
	if err != nil {
		return Case{}, err
	}
	if err := s.tickMaterials(&c, in.Materials); err != nil {
		return Case{}, err
	}
	if err := s.fromRegistry(ctx, item, &c); err != nil {
		return Case{}, err
	}
	evs := []Event{{Action: Submit, To: c.Status, Actor: p.Actor().Name}}
	if window && in.Decision != "" {
		// The clerk decides at the counter: one transaction receives the
		// application and records the decision.
		if err := Allowed(p, &c, in.Decision); err != nil {
			return Case{}, err
		}
		ev, err := s.decide(p, &c, ActInput{Action: in.Decision, Reason: in.Reason, Window: in.Window})
		if err != nil {
			return Case{}, err
		}
		evs = append(evs, ev)
	}
	_, err = s.store.CreateCase(ctx, &c, evs, audit.New(p.Actor(), "case.create", "case", "").With(string(c.Status)), idemKey)
	return c, err
}

func (s *Service) newCase(item catalog.Item, in Application) Case {
	now := s.now()
	c := Case{No: NumberPrefix(s.region, s.today()), ItemCode: item.Code, ItemVersion: item.Version, ItemName: item.Name, Department: item.DepartmentCode,
		Joint: item.JointDepartmentCodes, Agent: in.Agent, Form: in.Form, CreatedAt: now, UpdatedAt: now,
		Clock: Clock{Statutory: item.StatutoryLimit, Promised: item.PromisedLimit}}
	for _, m := range item.Materials {
		c.Materials = append(c.Materials, Material{Code: m.MaterialCode, Name: m.Name, Required: m.Required, Tolerant: m.Tolerant})
	}
	return c
}

func (s *Service) onlineApplicant(ctx context.Context, p *identity.Principal, c *Case, in Application) error {
	a, err := s.store.ApplicantForUser(ctx, p.UserID)
	if err != nil {
		return err
	}
	c.Applicant, c.Channel, c.Status = a, Online, Submitted
	if in.Draft {
		c.Status = Draft
	}
	return nil
}

func (s *Service) windowApplicant(c *Case, in Application) error {
	a, err := validApplicant(in.Applicant, s.now)
	if err != nil {
		return err
	}
	c.Applicant, c.Channel, c.Status, c.ReceivedOn, c.Window = a, AtWindow, Received, s.today(), in.Window
	c.Visits = 1
	return nil
}

// validApplicant checks an applicant registered at the window: a person
// needs a valid ID number, a legal person a valid USCC and a legal
// representative.
func validApplicant(a Applicant, now func() time.Time) (Applicant, error) {
	fields := map[string]string{}
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		fields["applicant.name"] = "err.required"
	}
	switch a.Kind {
	case identity.Person:
		id, err := idcode.ValidateIDCard(a.IDNumber, now())
		if err != nil {
			fields["applicant.idNumber"] = "idcode." + string(idcode.ReasonOf(err))
		}
		a.IDNumber = id.Number
	case identity.Legal:
		u, err := idcode.ValidateUSCC(a.USCC)
		if err != nil {
			fields["applicant.uscc"] = "idcode." + string(idcode.ReasonOf(err))
		}
		a.USCC = u.Code
		if strings.TrimSpace(a.LegalRep) == "" {
			fields["applicant.legalRep"] = "err.required"
		}
	default:
		fields["applicant.kind"] = "err.kind_unknown"
	}
	if len(fields) > 0 {
		return a, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	return a, nil
}

// tickMaterials applies the checklist to c; a code the item does not list
// is an error.
func (s *Service) tickMaterials(c *Case, ticks []Tick) error {
	index := map[string]int{}
	for i, m := range c.Materials {
		index[m.Code] = i
	}
	for _, t := range ticks {
		i, ok := index[t.Code]
		if !ok {
			return apperr.Field("materials", "err.material_not_in_item")
		}
		m := &c.Materials[i]
		m.Received, m.Problem, m.UploadSHA = t.Received || t.UploadSHA != "", strings.TrimSpace(t.Problem), t.UploadSHA
		if !t.PromisedBy.IsZero() {
			if !m.Tolerant {
				return apperr.Field("materials", "err.material_not_tolerant")
			}
			m.Promised = t.PromisedBy
		}
	}
	return nil
}

// fromRegistry ticks each material the catalog says the licence registry
// can provide when the applicant holds a valid licence of its type, and
// links the licence: the applicant need not bring it (证照库 reuse).
func (s *Service) fromRegistry(ctx context.Context, item catalog.Item, c *Case) error {
	if s.registry == nil || s.library == nil || c.Applicant.Code() == "" {
		return nil
	}
	lib, err := s.library.Materials(ctx)
	if err != nil {
		return err
	}
	types := map[string]string{}
	for _, m := range lib {
		types[m.Code] = m.LicenceType
	}
	for i, im := range item.Materials {
		m := &c.Materials[i]
		if im.Source != catalog.FromLicences || types[im.MaterialCode] == "" || m.Received {
			continue
		}
		id, ok, err := s.registry.Holds(ctx, c.Applicant.Code(), types[im.MaterialCode])
		if err != nil {
			return err
		}
		if ok {
			m.Received, m.Licence, m.Problem = true, id, ""
		}
	}
	return nil
}
