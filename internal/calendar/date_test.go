package calendar

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	accept := map[string]Date{
		"2018-09-28": {2018, time.September, 28},
		"2024-02-29": {2024, time.February, 29},
		"0001-01-01": {1, time.January, 1},
		"9999-12-31": {9999, time.December, 31},
	}
	for in, want := range accept {
		t.Run("accepts "+in, func(t *testing.T) {
			got, err := ParseDate(in)
			if err != nil || got != want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
			}
			if got.String() != in {
				t.Errorf("String() = %q, want %q", got.String(), in)
			}
		})
	}
	reject := map[string]string{
		"February 30 does not exist":         "2023-02-30",
		"February 29 only in leap years":     "2023-02-29",
		"1900 is not a leap year":            "1900-02-29",
		"month must have two digits":         "2023-2-03",
		"day must have two digits":           "2023-02-3",
		"month 13 does not exist":            "2023-13-01",
		"month 00 does not exist":            "2023-00-10",
		"day 00 does not exist":              "2023-01-00",
		"year 0000 is out of range":          "0000-01-01",
		"slashes are not separators":         "2023/01/01",
		"time of day is not allowed":         "2023-01-01T00:00",
		"surrounding space is not trimmed":   " 2023-01-01",
		"empty string":                       "",
		"signs are not digits":               "+023-01-01",
		"compact form is not accepted":       "20230101",
		"full-width digits are not accepted": "２０２３-01-01",
	}
	for name, in := range reject {
		t.Run("rejects: "+name, func(t *testing.T) {
			if d, err := ParseDate(in); err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error", in, d)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	d := Date{2018, time.December, 28}
	tests := []struct {
		name string
		got  Date
		want Date
	}{
		{"adding days crosses the year end", d.AddDays(4), Date{2019, time.January, 1}},
		{"subtracting days goes backwards", d.AddDays(-28), Date{2018, time.November, 30}},
		{"adding zero days is the same date", d.AddDays(0), d},
		{"adding days crosses a leap day", Date{2024, time.February, 28}.AddDays(2), Date{2024, time.March, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	if wd := d.Weekday(); wd != time.Friday {
		t.Errorf("2018-12-28 weekday = %v, want Friday", wd)
	}
}

func TestDateOrdering(t *testing.T) {
	a, b := Date{2018, 12, 31}, Date{2019, 1, 1}
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 {
		t.Error("2018-12-31 should sort before 2019-01-01")
	}
	if !b.After(a) || b.Before(a) || b.Compare(a) != 1 {
		t.Error("2019-01-01 should sort after 2018-12-31")
	}
	if a.Compare(a) != 0 || a.Before(a) || a.After(a) {
		t.Error("a date compares equal to itself")
	}
}

func TestDateOfUsesShanghaiTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want Date
	}{
		{"16:00 UTC on New Year's Eve is already New Year in Shanghai",
			time.Date(2018, 12, 31, 16, 0, 0, 0, time.UTC), Date{2019, 1, 1}},
		{"15:59 UTC on New Year's Eve is still the old year in Shanghai",
			time.Date(2018, 12, 31, 15, 59, 59, 0, time.UTC), Date{2018, 12, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DateOf(tt.in); got != tt.want {
				t.Errorf("DateOf(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	if got := (Date{2019, 1, 1}).In(Shanghai); !got.Equal(time.Date(2018, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("In(Shanghai) = %v, want Shanghai midnight", got)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due  Date  `json:"due"`
		Skip *Date `json:"skip"`
	}
	b, err := json.Marshal(doc{Due: Date{2018, 10, 10}})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2018-10-10","skip":null}` {
		t.Errorf("Marshal = %s", b)
	}
	var got doc
	if err := json.Unmarshal(b, &got); err != nil || got.Due != (Date{2018, 10, 10}) {
		t.Errorf("Unmarshal = %+v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"2018-02-30"}`), &got); err == nil {
		t.Error("Unmarshal accepted 2018-02-30")
	}
	if err := json.Unmarshal([]byte(`{"due":20181010}`), &got); err == nil {
		t.Error("Unmarshal accepted a number")
	}
	zero, err := json.Marshal(doc{})
	if err != nil || string(zero) != `{"due":"","skip":null}` {
		t.Errorf("zero date marshals as %s, %v; want an empty string", zero, err)
	}
	if err := json.Unmarshal(zero, &got); err != nil || !got.Due.IsZero() {
		t.Errorf("empty string unmarshals as %+v, %v; want the zero date", got, err)
	}
	if _, err := json.Marshal(doc{Due: Date{2023, 2, 30}}); err == nil {
		t.Error("Marshal accepted the invalid date 2023-02-30")
	}
}

func TestDateAsMapKey(t *testing.T) {
	b, err := json.Marshal(map[Date]int{{2018, 10, 10}: 1})
	if err != nil || string(b) != `{"2018-10-10":1}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2018-09-28", "2024-02-29", "2023-02-30", "0000-00-00", "9999-12-31", "2023-2-3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if !d.IsValid() {
			t.Fatalf("ParseDate(%q) = invalid date %#v", s, d)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		want := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		if s != want {
			t.Fatalf("ParseDate(%q) accepted what time.Parse formats as %q", s, want)
		}
	})
}
