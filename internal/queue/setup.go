package queue

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

var (
	hallCodeRe = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
	hhmmRe     = regexp.MustCompile(`^([01][0-9]|2[0-4]):[0-5][0-9]$`)
	prefixRe   = regexp.MustCompile(`^[A-Z]$`)
)

// SaveHall creates or updates a hall (by ID) after checking its settings.
func (s *Service) SaveHall(ctx context.Context, p *identity.Principal, h Hall) (Hall, error) {
	if err := p.Require(identity.PermHallManage); err != nil {
		return Hall{}, err
	}
	if h.MaxPriorityRun == 0 {
		h.MaxPriorityRun = 3
	}
	if h.VoiceRepeat == 0 {
		h.VoiceRepeat = 2
	}
	fields := map[string]string{}
	check := func(ok bool, field, key string) {
		if !ok {
			fields[field] = key
		}
	}
	check(hallCodeRe.MatchString(h.Code), "code", "err.queue.hall_code")
	check(strings.TrimSpace(h.Name) != "", "name", "err.required")
	check(hhmmRe.MatchString(h.Opens) && hhmmRe.MatchString(h.Closes) && h.Opens < h.Closes, "opens", "err.queue.hours")
	check(h.MaxPriorityRun >= 1 && h.MaxPriorityRun <= 20, "maxPriorityRun", "err.queue.priority_run")
	check(h.VoiceRepeat >= 1 && h.VoiceRepeat <= 5, "voiceRepeat", "err.queue.voice_repeat")
	if len(fields) > 0 {
		return Hall{}, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	err := s.store.SaveHall(ctx, &h, audit.New(p.Actor(), "hall.save", "hall", h.Code))
	s.setups.forget()
	return h, err
}

// SaveZone creates or updates a zone of a hall.
func (s *Service) SaveZone(ctx context.Context, p *identity.Principal, z Zone) (Zone, error) {
	if err := p.Require(identity.PermHallManage); err != nil {
		return Zone{}, err
	}
	switch {
	case z.HallID == 0:
		return Zone{}, apperr.Field("hall", "err.required")
	case strings.TrimSpace(z.Name) == "":
		return Zone{}, apperr.Field("name", "err.required")
	case !prefixRe.MatchString(z.Prefix):
		return Zone{}, apperr.Field("prefix", "err.queue.prefix")
	case z.DailyCap < 0 || z.DailyCap > 999:
		return Zone{}, apperr.Field("dailyCap", "err.queue.daily_cap")
	}
	if z.Code == "" {
		z.Code = z.Prefix
	}
	err := s.store.SaveZone(ctx, &z, audit.New(p.Actor(), "hall.zone.save", "hall_zone", z.Code))
	s.setups.forget()
	return z, err
}

// SaveWindow creates or updates a window; a new window starts closed.
func (s *Service) SaveWindow(ctx context.Context, p *identity.Principal, w Window) (Window, error) {
	if err := p.Require(identity.PermHallManage); err != nil {
		return Window{}, err
	}
	switch {
	case w.HallID == 0:
		return Window{}, apperr.Field("hall", "err.required")
	case w.Number < 1 || w.Number > 999:
		return Window{}, apperr.Field("number", "err.queue.window_number")
	case !validKind(w.Kind):
		return Window{}, apperr.Field("kind", "err.queue.window_kind")
	case len(w.Zones) == 0:
		return Window{}, apperr.Field("zones", "err.queue.window_zones")
	}
	if w.Name == "" {
		w.Name = strconv.Itoa(w.Number) + "号窗口"
	}
	if w.State == "" {
		w.State = Closed
	}
	err := s.store.SaveWindow(ctx, &w, audit.New(p.Actor(), "hall.window.save", "hall_window", strconv.Itoa(w.Number)))
	s.setups.forget()
	return w, err
}

func validKind(k WindowKind) bool {
	for _, x := range WindowKinds {
		if x == k {
			return true
		}
	}
	return false
}

// isOpen reports whether the hall issues tickets at t: between its opening
// and closing time (Shanghai), and on a working day if it keeps them.
func (s *Service) isOpen(h Hall, t time.Time) bool {
	local := t.In(calendar.Shanghai)
	if h.WorkdaysOnly && !s.calendar.Current().IsWorkday(calendar.DateOf(t)) {
		return false
	}
	hm := fmt.Sprintf("%02d:%02d", local.Hour(), local.Minute())
	return hm >= h.Opens && hm < h.Closes
}
