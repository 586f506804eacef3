package cases

import (
	"context"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
)

// PublicStatus is what anyone holding a case number and the last six
// characters of the applicant's ID number or USCC may see: no names, no
// numbers, no materials.
type PublicStatus struct {
	No           string            `json:"no"`
	ItemName     string            `json:"itemName"`
	Applicant    string            `json:"applicant"` // masked name
	Status       Status            `json:"status"`
	DuePromised  calendar.Deadline `json:"duePromised,omitzero"`
	Events       []PublicEvent     `json:"events"`
	Visits       int               `json:"visits"`
	LastModified time.Time         `json:"lastModified"`
}

// PublicEvent is a timeline entry without the staff member's name.
type PublicEvent struct {
	At     time.Time `json:"at"`
	Action Action    `json:"action"`
	To     Status    `json:"to"`
}

// Progress answers the public progress page (办件进度查询). A wrong code and
// an unknown case get the same NotFound, so numbers cannot be probed.
func (s *Service) Progress(ctx context.Context, no, last6 string) (PublicStatus, error) {
	notFound := apperr.New(apperr.NotFound, "err.progress_not_found")
	last6 = strings.ToUpper(strings.TrimSpace(last6))
	if len(last6) != 6 {
		return PublicStatus{}, apperr.Field("code", "err.progress_code")
	}
	c, err := s.store.Case(ctx, strings.TrimSpace(no))
	if apperr.Is(err, apperr.NotFound) || (err == nil && !strings.HasSuffix(strings.ToUpper(c.Applicant.Code()), last6)) {
		return PublicStatus{}, notFound
	}
	if err != nil {
		return PublicStatus{}, err
	}
	evs, err := s.store.Events(ctx, c.No)
	if err != nil {
		return PublicStatus{}, err
	}
	ps := PublicStatus{No: c.No, ItemName: c.ItemName, Applicant: MaskName(c.Applicant.Name), Status: c.Status,
		DuePromised: c.DuePromised, Visits: c.Visits, LastModified: c.UpdatedAt}
	for _, e := range evs {
		if e.Action.Valid() {
			ps.Events = append(ps.Events, PublicEvent{At: e.At, Action: e.Action, To: e.To})
		}
	}
	return ps, nil
}

// MaskName keeps the first character of a person's name (张**) and the
// first two and last two of an organisation's longer name.
func MaskName(name string) string {
	r := []rune(name)
	switch {
	case len(r) <= 1:
		return name
	case len(r) <= 4:
		return string(r[0]) + strings.Repeat("*", len(r)-1)
	}
	return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
}
