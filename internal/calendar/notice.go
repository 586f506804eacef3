package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// builtinJSON lists every holiday and make-up working day of 2018–2026,
// copied from the shared domain notes.
//
//go:embed holidays_2018_2026.json
var builtinJSON []byte

// notice is the JSON shape of a holiday notice, keyed by date.
type notice struct {
	Source string `json:"source"`
	Dates  map[string]struct {
		Type       Kind   `json:"type"`
		Name       string `json:"name"`
		NoticeYear int    `json:"notice_year"`
	} `json:"dates"`
}

// ParseNotice reads a notice in the shape
//
//	{"source": "...", "dates": {"2018-01-01": {"type": "holiday", "name": "元旦", "notice_year": 2018}}}
//
// where type is "holiday" or "makeup_workday", and returns its days sorted by
// date. An invalid date or type is an error naming the date.
func ParseNotice(r io.Reader) ([]Day, error) {
	var n notice
	if err := json.NewDecoder(r).Decode(&n); err != nil {
		return nil, fmt.Errorf("calendar: reading notice: %w", err)
	}
	if len(n.Dates) == 0 {
		return nil, errors.New("calendar: notice lists no dates")
	}
	days := make([]Day, 0, len(n.Dates))
	for key, e := range n.Dates {
		d, err := ParseDate(key)
		if err != nil {
			return nil, fmt.Errorf("calendar: notice date %q: %w", key, err)
		}
		if !e.Type.Valid() {
			return nil, fmt.Errorf("calendar: notice date %s: type %q is not %q or %q", key, e.Type, Holiday, MakeupWorkday)
		}
		days = append(days, Day{Date: d, Kind: e.Type, Name: e.Name})
	}
	slices.SortFunc(days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return days, nil
}

// builtin parses the embedded table once.
var builtin = sync.OnceValue(func() *Calendar {
	days, err := ParseNotice(bytes.NewReader(builtinJSON))
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return New(days)
})

// Builtin returns the calendar of the embedded 2018–2026 notices. The result
// is shared; it is immutable.
func Builtin() *Calendar { return builtin() }
