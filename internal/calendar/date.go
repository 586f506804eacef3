package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Shanghai is China Standard Time (UTC+8, no daylight saving). It is a fixed
// zone so the binary needs no tzdata.
var Shanghai = time.FixedZone("CST", 8*3600)

// Date is a civil date in the Gregorian calendar with no time zone. The zero
// Date is "no date"; IsValid reports whether a Date names a real day.
type Date struct {
	Year  int        // 1…9999
	Month time.Month // 1…12
	Day   int        // 1…31
}

// ParseDate parses exactly "YYYY-MM-DD" and rejects dates that do not exist,
// such as 2023-02-30, and short forms such as 2023-2-3.
func ParseDate(s string) (Date, error) {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("calendar: date %q is not in the form YYYY-MM-DD", s)
	}
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("calendar: date %q is not in the form YYYY-MM-DD", s)
	}
	date := Date{y, time.Month(m), d}
	if !date.IsValid() {
		return Date{}, fmt.Errorf("calendar: date %q does not exist", s)
	}
	return date, nil
}

// digits parses a string of ASCII digits only (no sign, no space).
func digits(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// DateOf returns the date of t in Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

// IsValid reports whether d is a real day between 0001-01-01 and 9999-12-31.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(d.In(Shanghai)) == d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days after d (before d if n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, Shanghai))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Compare returns -1 if d is before e, +1 if it is after and 0 if they are equal.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText encodes d as "YYYY-MM-DD", and the zero Date as empty text.
// It fails for a Date that is neither zero nor valid.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	if !d.IsValid() {
		return nil, fmt.Errorf("calendar: cannot encode invalid date %s", d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes "YYYY-MM-DD" strictly; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalJSON encodes d as a JSON string "YYYY-MM-DD" ("" for the zero Date).
func (d Date) MarshalJSON() ([]byte, error) {
	b, err := d.MarshalText()
	if err != nil {
		return nil, err
	}
	return strconv.AppendQuote(nil, string(b)), nil
}

// UnmarshalJSON decodes a JSON string "YYYY-MM-DD"; null leaves d unchanged.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil || len(b) == 0 || b[0] != '"' {
		return errors.New("calendar: a date must be a JSON string")
	}
	return d.UnmarshalText([]byte(s))
}
