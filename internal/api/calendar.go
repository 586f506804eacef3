package api

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// parseDateParam reads a YYYY-MM-DD query parameter within 1900–2100.
func parseDateParam(r *http.Request, name string) (calendar.Date, error) {
	s := r.URL.Query().Get(name)
	d, err := calendar.ParseDate(s)
	if err != nil {
		return d, bad("err.bad_date", name+"="+s)
	}
	if d.Year < 1900 || d.Year > 2100 {
		return d, bad("err.date_range")
	}
	return d, nil
}

// parseDays reads a number of working days in half-day steps.
func parseDays(s string) (int, error) {
	f, err := strconv.ParseFloat(s, 64)
	half := f * 2
	if err != nil || f < 0 || f > 3650 || half != math.Trunc(half) {
		return 0, bad("err.bad_days", s)
	}
	return int(half), nil
}

type dueResponse struct {
	From     calendar.Date `json:"from"`
	Days     float64       `json:"days"`
	Due      calendar.Date `json:"due"`
	Noon     bool          `json:"noon,omitempty"` // due by the end of the morning session
	Workdays []string      `json:"-"`
}

// handleCalendarDue answers when a time limit of n working days counted
// from a date ends: the start day does not count, n = 0 is the same day.
func (a *API) handleCalendarDue(w http.ResponseWriter, r *http.Request) {
	from, err := parseDateParam(r, "from")
	if err != nil {
		a.error(w, r, err)
		return
	}
	halfDays, err := parseDays(r.URL.Query().Get("days"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	d := a.calendar.Current().Due(from, halfDays)
	writeJSON(w, http.StatusOK, dueResponse{From: from, Days: float64(halfDays) / 2, Due: d.Date, Noon: d.Noon})
}

// handleCalendarWorkdays counts the working days after from up to and
// including to.
func (a *API) handleCalendarWorkdays(w http.ResponseWriter, r *http.Request) {
	from, err := parseDateParam(r, "from")
	if err != nil {
		a.error(w, r, err)
		return
	}
	to, err := parseDateParam(r, "to")
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to,
		"workdays": a.calendar.Current().WorkdaysBetween(from, to)})
}

type yearResponse struct {
	Year           int            `json:"year"`
	Covered        bool           `json:"covered"` // false: no notice loaded, weekends only
	Workdays       int            `json:"workdays"`
	Holidays       []calendar.Day `json:"holidays"`
	MakeupWorkdays []calendar.Day `json:"makeupWorkdays"`
}

func (a *API) handleCalendarYear(w http.ResponseWriter, r *http.Request) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1900 || y > 2100 {
		a.error(w, r, bad("err.date_range"))
		return
	}
	c := a.calendar.Current()
	resp := yearResponse{Year: y, Holidays: []calendar.Day{}, MakeupWorkdays: []calendar.Day{}}
	for _, d := range c.Year(y) {
		if d.Kind == calendar.Holiday {
			resp.Holidays = append(resp.Holidays, d)
		} else {
			resp.MakeupWorkdays = append(resp.MakeupWorkdays, d)
		}
	}
	resp.Covered = c.Covers(calendar.Date{Year: y, Month: 1, Day: 1})
	resp.Workdays = c.WorkdaysBetween(calendar.Date{Year: y - 1, Month: 12, Day: 31}, calendar.Date{Year: y, Month: 12, Day: 31})
	writeJSON(w, http.StatusOK, resp)
}

func (a *API) handleCalendarRevisions(w http.ResponseWriter, r *http.Request) {
	revs, err := a.calendar.Revisions(r.Context())
	if err != nil {
		a.error(w, r, err)
		return
	}
	if revs == nil {
		revs = []calendar.Revision{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"revisions": revs})
}

// handleCalendarRevisionCreate loads a holiday notice, in the JSON shape of
// the built-in table, as a new revision. Query: publishedAt (YYYY-MM-DD,
// default today) and note.
func (a *API) handleCalendarRevisionCreate(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	if err := p.Require(identity.PermCalendarManage); err != nil {
		a.error(w, r, err)
		return
	}
	days, err := calendar.ParseNotice(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		a.error(w, r, apperr.New(apperr.Invalid, "err.notice_invalid", err.Error()))
		return
	}
	published := a.now()
	if s := r.URL.Query().Get("publishedAt"); s != "" {
		d, err := parseDateParam(r, "publishedAt")
		if err != nil {
			a.error(w, r, err)
			return
		}
		published = d.In(calendar.Shanghai)
	}
	rev, err := a.calendar.AddRevision(r.Context(), p.Actor(), published.UTC().Truncate(time.Microsecond), r.URL.Query().Get("note"), days)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rev)
}
