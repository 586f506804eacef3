package queue

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// Speech is what the screens say for a call, e.g. "请 A023 号到 5 号窗口办理".
func Speech(ticketNo string, window int) string {
	return fmt.Sprintf("请 %s 号到 %d 号窗口办理", ticketNo, window)
}

// Fill completes a call-type event with the ticket it is about.
func (e *Event) Fill(t Ticket) {
	e.Ticket, e.Zone = t.No, t.Zone
	if e.Kind == EvCall || e.Kind == EvRecall {
		e.Speech = Speech(t.No, e.WindowNumber)
	}
}

// VisitRef names a ticket's visit for the case record: hall, date, number.
func (t Ticket) VisitRef() string {
	return fmt.Sprintf("%s-%04d%02d%02d-%s", t.HallCode, t.Day.Year, t.Day.Month, t.Day.Day, t.No)
}

// window loads a window the principal may operate: staff who may call,
// signed in at that window (an API token of a calling device may operate
// any window).
func (s *Service) window(ctx context.Context, p *identity.Principal, id int64, mustBeSignedIn bool) (Hall, Window, error) {
	if err := p.Require(identity.PermHallCall); err != nil {
		return Hall{}, Window{}, err
	}
	h, w, err := s.windowOf(ctx, id, mustBeSignedIn)
	if err != nil {
		return Hall{}, Window{}, err
	}
	if mustBeSignedIn && p.Token == nil && w.ClerkID != p.UserID {
		return Hall{}, Window{}, apperr.New(apperr.Forbidden, "err.queue.not_your_window")
	}
	return h, w, nil
}

// windowOf loads the hall and window id. Signing in reads the whole hall
// fresh (it signs the clerk out elsewhere); the other actions take the
// cached set-up and read only the window's live state.
func (s *Service) windowOf(ctx context.Context, id int64, cached bool) (Hall, Window, error) {
	var h Hall
	var err error
	if cached {
		h, err = s.setUpOfWindow(ctx, id)
	} else {
		h, err = s.store.HallOfWindow(ctx, id)
	}
	if err != nil {
		return Hall{}, Window{}, err
	}
	i := slices.IndexFunc(h.Windows, func(w Window) bool { return w.ID == id })
	if i < 0 {
		return Hall{}, Window{}, notFound()
	}
	if !cached {
		return h, h.Windows[i], nil
	}
	live, err := s.store.Window(ctx, id)
	if err != nil {
		return Hall{}, Window{}, err
	}
	live.Zones = h.Windows[i].Zones
	return h, live, nil
}

func (s *Service) event(h Hall, w Window, kind EventKind) Event {
	return Event{HallID: h.ID, Kind: kind, At: s.now(), WindowNumber: w.Number, WindowName: w.Name}
}

func (s *Service) audit(p *identity.Principal, action string, w Window) audit.Entry {
	return audit.New(p.Actor(), action, "hall_window", strconv.FormatInt(w.ID, 10))
}

// SignIn puts the clerk at the window, taking it over from whoever was
// there, and signs them out of any other window of the hall.
func (s *Service) SignIn(ctx context.Context, p *identity.Principal, windowID int64) (Window, error) {
	h, w, err := s.window(ctx, p, windowID, false)
	if err != nil {
		return Window{}, err
	}
	for _, other := range h.Windows {
		if other.ID != w.ID && other.ClerkID == p.UserID && p.UserID != 0 && other.State != Closed {
			if err := s.setState(ctx, p, h, &other, "", Closed, "window.signout"); err != nil {
				return Window{}, err
			}
		}
	}
	w.ClerkID, w.ClerkName = p.UserID, p.Name
	if w.ClerkName == "" {
		w.ClerkName = p.Username
	}
	err = s.setState(ctx, p, h, &w, "", Open, "window.signin")
	return w, err
}

// SignOut closes the window.
func (s *Service) SignOut(ctx context.Context, p *identity.Principal, windowID int64) (Window, error) {
	h, w, err := s.window(ctx, p, windowID, true)
	if err != nil {
		return Window{}, err
	}
	w.ClerkID, w.ClerkName = 0, ""
	err = s.setState(ctx, p, h, &w, "", Closed, "window.signout")
	return w, err
}

// Pause suspends service at the window (暂停服务).
func (s *Service) Pause(ctx context.Context, p *identity.Principal, windowID int64) (Window, error) {
	h, w, err := s.window(ctx, p, windowID, true)
	if err != nil {
		return Window{}, err
	}
	err = s.setState(ctx, p, h, &w, Open, Paused, "window.pause")
	return w, err
}

// Resume ends a pause.
func (s *Service) Resume(ctx context.Context, p *identity.Principal, windowID int64) (Window, error) {
	h, w, err := s.window(ctx, p, windowID, true)
	if err != nil {
		return Window{}, err
	}
	err = s.setState(ctx, p, h, &w, Paused, Open, "window.resume")
	return w, err
}

// setState moves w from one state to another (from "" = any) and stores it.
func (s *Service) setState(ctx context.Context, p *identity.Principal, h Hall, w *Window, from, to WindowState, action string) error {
	if from != "" && w.State != from {
		return apperr.New(apperr.Conflict, "err.queue.window_state")
	}
	if to == Closed {
		w.ClerkID, w.ClerkName = 0, ""
	}
	w.State = to
	return s.store.SetWindow(ctx, *w, from, s.event(h, *w, EvWindow), s.audit(p, action, *w).With(string(to)))
}

// Call finishes the window's current ticket and calls the next one.
func (s *Service) Call(ctx context.Context, p *identity.Principal, windowID int64) (Ticket, error) {
	h, w, err := s.window(ctx, p, windowID, true)
	if err != nil {
		return Ticket{}, err
	}
	if w.State != Open {
		return Ticket{}, apperr.New(apperr.Conflict, "err.queue.window_not_open")
	}
	maxRun := h.MaxPriorityRun
	if w.Kind == Green {
		maxRun = 1 << 30 // a green-channel window exists for priority tickets
	}
	w.ClerkID = p.UserID
	t, err := s.store.CallNext(ctx, w, s.today(), maxRun, s.event(h, w, EvCall), s.audit(p, "ticket.call", w))
	if apperr.Is(err, apperr.NotFound) {
		return Ticket{}, apperr.New(apperr.NotFound, "err.queue.nobody_waiting")
	}
	return t, err
}

// current is the ticket the window is serving.
func (s *Service) current(ctx context.Context, p *identity.Principal, windowID int64) (Hall, Window, Ticket, error) {
	h, w, err := s.window(ctx, p, windowID, true)
	if err != nil {
		return Hall{}, Window{}, Ticket{}, err
	}
	if w.TicketID == 0 {
		return Hall{}, Window{}, Ticket{}, apperr.New(apperr.Conflict, "err.queue.no_current")
	}
	t, err := s.store.TicketByID(ctx, w.TicketID)
	if err != nil {
		return Hall{}, Window{}, Ticket{}, err
	}
	if t.Status != Called {
		return Hall{}, Window{}, Ticket{}, apperr.New(apperr.Conflict, "err.queue.no_current")
	}
	return h, w, t, nil
}

// Recall calls the current ticket again, at most MaxRecalls times; after
// that the clerk marks it a no-show with Skip.
func (s *Service) Recall(ctx context.Context, p *identity.Principal, windowID int64) (Ticket, error) {
	h, w, t, err := s.current(ctx, p, windowID)
	if err != nil {
		return Ticket{}, err
	}
	if t.Recalls >= MaxRecalls {
		return Ticket{}, apperr.New(apperr.Conflict, "err.queue.recall_limit", MaxRecalls)
	}
	t.Recalls, t.CalledAt = t.Recalls+1, s.now()
	return s.update(ctx, p, h, w, t, EvRecall, "ticket.recall")
}

// Skip marks the current ticket a no-show (过号).
func (s *Service) Skip(ctx context.Context, p *identity.Principal, windowID int64) (Ticket, error) {
	h, w, t, err := s.current(ctx, p, windowID)
	if err != nil {
		return Ticket{}, err
	}
	t.Status, t.DoneAt = NoShow, s.now()
	return s.update(ctx, p, h, w, t, EvSkip, "ticket.skip")
}

// TransferInput names where a ticket goes: a zone (code or prefix), a
// window number, or both.
type TransferInput struct {
	Zone   string `json:"zone,omitempty"`
	Window int    `json:"window,omitempty"`
}

// Transfer puts the current ticket back in the queue of another zone or
// window. It keeps its place: its queue time does not change.
func (s *Service) Transfer(ctx context.Context, p *identity.Principal, windowID int64, in TransferInput) (Ticket, error) {
	h, w, t, err := s.current(ctx, p, windowID)
	if err != nil {
		return Ticket{}, err
	}
	if err := transferTarget(h, &t, in); err != nil {
		return Ticket{}, err
	}
	t.Status, t.WindowID, t.Recalls, t.Transfers = Waiting, 0, 0, t.Transfers+1
	return s.update(ctx, p, h, w, t, EvTransfer, "ticket.transfer")
}

func transferTarget(h Hall, t *Ticket, in TransferInput) error {
	if in.Zone == "" && in.Window == 0 {
		return apperr.Field("zone", "err.required")
	}
	if in.Zone != "" {
		z, ok := findZone(h, in.Zone)
		if !ok {
			return apperr.Field("zone", "err.queue.zone_unknown")
		}
		t.ZoneID, t.Zone = z.ID, z.Name
	}
	t.TargetWindowID = 0
	if in.Window == 0 {
		return nil
	}
	i := slices.IndexFunc(h.Windows, func(w Window) bool { return w.Number == in.Window })
	if i < 0 {
		return apperr.Field("window", "err.queue.window_unknown")
	}
	target := h.Windows[i]
	if !target.Serves(t.ZoneID) {
		if in.Zone != "" {
			return apperr.Field("window", "err.queue.window_zone")
		}
		t.ZoneID = target.Zones[0]
	}
	t.TargetWindowID = target.ID
	return nil
}

// Complete finishes the current ticket and links its visit to the cases it
// served (and so to the person, when the ticket carries an ID number).
func (s *Service) Complete(ctx context.Context, p *identity.Principal, windowID int64, caseNos []string) (Ticket, error) {
	h, w, t, err := s.current(ctx, p, windowID)
	if err != nil {
		return Ticket{}, err
	}
	t.Cases = cleanCaseNos(caseNos)
	if len(t.Cases) > 10 {
		return Ticket{}, apperr.Field("cases", "err.queue.too_many_cases")
	}
	if s.visits != nil {
		// Linking first is safe to repeat (RecordVisit ignores a known
		// ticket) and catches an unknown case number before completion.
		for _, no := range t.Cases {
			if err := s.visits.RecordVisit(ctx, no, t.VisitRef()); err != nil {
				if apperr.Is(err, apperr.NotFound) {
					return Ticket{}, apperr.Field("cases", "err.queue.case_unknown")
				}
				return Ticket{}, err
			}
		}
	}
	t.Status, t.DoneAt = Done, s.now()
	return s.update(ctx, p, h, w, t, EvComplete, "ticket.complete")
}

func cleanCaseNos(in []string) []string {
	var out []string
	for _, s := range in {
		for _, no := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '\n' }) {
			if !slices.Contains(out, no) {
				out = append(out, no)
			}
		}
	}
	return out
}

func (s *Service) update(ctx context.Context, p *identity.Principal, h Hall, w Window, t Ticket, kind EventKind, action string) (Ticket, error) {
	ev := s.event(h, w, kind)
	ev.Fill(t)
	if err := s.store.UpdateTicket(ctx, &t, w.ID, ev, s.audit(p, action, w).With(t.No)); err != nil {
		return Ticket{}, err
	}
	return t, nil
}

// Current returns the ticket the window is serving.
func (s *Service) Current(ctx context.Context, p *identity.Principal, windowID int64) (Ticket, error) {
	_, _, t, err := s.current(ctx, p, windowID)
	return t, err
}
