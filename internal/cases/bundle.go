package cases

import (
	"context"
	"slices"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

// Waiting is the status of a bundle's sub-case whose stage has not begun:
// the stages of a "一件事" run one after another.
const Waiting Status = "waiting"

// BundleApplication applies for a bundle (一件事) with one set of
// materials: the merged list, each material handed in once.
type BundleApplication struct {
	BundleCode string    `json:"bundleCode"`
	Applicant  Applicant `json:"applicant"`
	Agent      Agent     `json:"agent,omitzero"`
	Materials  []Tick    `json:"materials"`
	Accept     bool      `json:"accept"` // window: accept at once
	Window     string    `json:"window,omitempty"`
}

// ApplyBundle creates a parent case for the bundle and a sub-case per item,
// in one transaction. The parent's limits are the bundle's slowest path;
// accepted, the first stage's sub-cases go to their departments and the
// later stages wait.
func (s *Service) ApplyBundle(ctx context.Context, p *identity.Principal, in BundleApplication, idemKey string) (Case, error) {
	if err := p.Require(identity.PermCasesAccept); err != nil {
		return Case{}, err
	}
	v, err := s.catalog.Bundle(ctx, in.BundleCode)
	if apperr.Is(err, apperr.NotFound) {
		return Case{}, apperr.Field("bundleCode", "err.bundle_unknown")
	}
	if err != nil {
		return Case{}, err
	}
	parent := s.bundleParent(v, in)
	if err := s.windowApplicant(&parent, Application{Applicant: in.Applicant, Window: in.Window}); err != nil {
		return Case{}, err
	}
	if err := s.tickMaterials(&parent, in.Materials); err != nil {
		return Case{}, err
	}
	subs := s.bundleSubs(v, &parent)
	evs := [][]Event{{{Action: Submit, To: parent.Status, Actor: p.Actor().Name}}}
	for range subs {
		evs = append(evs, []Event{{Action: Submit, To: Received, Actor: p.Actor().Name}})
	}
	if in.Accept {
		ev, err := s.decide(p, &parent, ActInput{Action: Accept, Window: in.Window})
		if err != nil {
			return Case{}, err
		}
		evs[0] = append(evs[0], ev)
		for i := range subs {
			evs[i+1] = append(evs[i+1], s.startSub(&subs[i], p.Actor().Name, subs[i].Stage == 0))
		}
	}
	all := append([]*Case{&parent}, ptrs(subs)...)
	a := audit.New(p.Actor(), "case.create_bundle", "case", "").With(v.Code)
	if _, err := s.store.CreateCases(ctx, all, evs, a, idemKey); err != nil {
		return Case{}, err
	}
	return parent, nil
}

func ptrs(cs []Case) []*Case {
	out := make([]*Case, len(cs))
	for i := range cs {
		out[i] = &cs[i]
	}
	return out
}

// bundleParent is the case that stands for the whole bundle.
func (s *Service) bundleParent(v catalog.BundleView, in BundleApplication) Case {
	now := s.now()
	c := Case{No: NumberPrefix(s.region, s.today()), BundleCode: v.Code, ItemCode: v.Code, ItemName: v.Name,
		Department: "CENTER", Agent: in.Agent, CreatedAt: now, UpdatedAt: now,
		Clock: Clock{Statutory: v.StatutoryLimit, Promised: v.PromisedLimit}}
	for _, m := range v.MergedMaterials {
		c.Materials = append(c.Materials, Material{Code: m.MaterialCode, Name: m.Name, Required: m.Required})
	}
	return c
}

// bundleSubs makes a sub-case per item of the bundle, stage by stage.
func (s *Service) bundleSubs(v catalog.BundleView, parent *Case) []Case {
	byCode := map[string]catalog.Item{}
	for _, it := range v.Items {
		byCode[it.Code] = it
	}
	var subs []Case
	for stage, st := range v.Stages {
		for _, code := range st.ItemCodes {
			it, ok := byCode[code]
			if !ok {
				continue
			}
			c := s.newCase(it, Application{})
			c.No, c.BundleCode, c.Stage = parent.No, v.Code, stage
			c.Applicant, c.Channel, c.Status, c.ReceivedOn, c.Window = parent.Applicant, parent.Channel, Received, parent.ReceivedOn, parent.Window
			for i := range c.Materials { // handed in once, for the bundle
				c.Materials[i].Received = true
			}
			subs = append(subs, c)
		}
	}
	return subs
}

// startSub moves a sub-case into review (its stage has begun) or into
// waiting, and returns the event.
func (s *Service) startSub(c *Case, actor string, now bool) Event {
	from := c.Status
	if now {
		c.Status, c.Clock.Start = InReview, s.today()
	} else {
		c.Status = Waiting
	}
	c.UpdatedAt = s.now()
	s.refresh(c)
	return Event{Action: Accept, From: from, To: c.Status, Actor: actor}
}

// advanceBundle runs after a sub-case is decided: a denial ends the bundle;
// a stage whose items are all approved starts the next; when every item is
// approved, the bundle is.
func (s *Service) advanceBundle(ctx context.Context, parentNo string) error {
	parent, err := s.store.Case(ctx, parentNo)
	if err != nil {
		return err
	}
	if parent.Status != InReview {
		return nil
	}
	subs, _, err := s.store.Cases(ctx, Filter{ParentNo: parentNo, Page: 1, Per: 100})
	if err != nil {
		return err
	}
	for _, c := range subs {
		if c.Status == Denied || c.Status == Refused || c.Status == Withdrawn {
			return s.closeBundle(ctx, &parent, Deny, "子项“"+c.ItemName+"”未获许可")
		}
	}
	next := -1
	for _, c := range subs {
		if c.Status == InReview || c.Status == Suspended || c.Status == Received {
			return nil // the current stage is still running
		}
		if c.Status == Waiting && (next < 0 || c.Stage < next) {
			next = c.Stage
		}
	}
	if next < 0 {
		return s.closeBundle(ctx, &parent, Approve, "一件事各事项均已准予许可")
	}
	for _, c := range subs {
		if c.Status == Waiting && c.Stage == next {
			ev := s.startSub(&c, system.Username, true)
			if err := s.store.UpdateCase(ctx, &c, Waiting, ev, audit.New(system.Actor(), "case.stage_start", "case", c.No)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) closeBundle(ctx context.Context, parent *Case, a Action, reason string) error {
	from := parent.Status
	ev, err := s.decide(system, parent, ActInput{Action: a, Reason: reason})
	if err != nil {
		return err
	}
	return s.store.UpdateCase(ctx, parent, from, ev, audit.New(system.Actor(), "case.bundle_"+string(a), "case", parent.No).With(reason))
}

// SubCases lists a bundle case's sub-cases in stage order.
func (s *Service) SubCases(ctx context.Context, p *identity.Principal, parentNo string) ([]Case, error) {
	if _, err := s.Case(ctx, p, parentNo); err != nil {
		return nil, err
	}
	subs, _, err := s.store.Cases(ctx, Filter{ParentNo: parentNo, Page: 1, Per: 100})
	slices.SortStableFunc(subs, func(a, b Case) int { return a.Stage - b.Stage })
	return subs, err
}
