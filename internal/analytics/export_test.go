package analytics_test

import (
	"encoding/csv"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/analytics"
)

// stream emits batches of one-cell rows, then fails with fail (if set)
// or reports cut.
func stream(batches [][]string, cut bool, fail error) analytics.Stream {
	return analytics.Stream{Name: "drill-test", Header: []string{"no"}, Cut: "only the first rows", Broken: "incomplete",
		Rows: func(emit func([][]any) error) (bool, error) {
			for _, b := range batches {
				rows := make([][]any, len(b))
				for i, v := range b {
					rows[i] = []any{v}
				}
				if err := emit(rows); err != nil {
					return false, err
				}
			}
			return cut, fail
		}}
}

func TestStreamServeCSV(t *testing.T) {
	boom := errors.New("database gone")
	tests := []struct {
		name    string
		st      analytics.Stream
		body    []string // the CSV's records, header first; nil: not a CSV
		wantErr error
	}{
		{"every batch, header first", stream([][]string{{"a", "b"}, {"c"}}, false, nil), []string{"no", "a", "b", "c"}, nil},
		{"a cut list says so in its last row", stream([][]string{{"a"}}, true, nil), []string{"no", "a", "only the first rows"}, nil},
		{"an empty list is its header", stream(nil, false, nil), []string{"no"}, nil},
		{"a failure before the first row writes nothing", stream(nil, false, boom), nil, boom},
		{"a failure part-way ends the file as incomplete", stream([][]string{{"a"}}, false, boom), []string{"no", "a", "incomplete"}, analytics.ErrIncomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			ok, err := tt.st.Serve(w, "csv")
			if !ok || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Serve = %v, %v; want true, %v", ok, err, tt.wantErr)
			}
			if tt.body == nil {
				if w.Body.Len() > 0 || w.Header().Get("Content-Type") != "" {
					t.Errorf("wrote %q with %v before failing", w.Body.String(), w.Header())
				}
				return
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type %q", ct)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r[0])
			}
			if strings.Join(got, ",") != strings.Join(tt.body, ",") {
				t.Errorf("records %q, want %q", got, tt.body)
			}
		})
	}
}

func TestStreamServeXLSX(t *testing.T) {
	w := httptest.NewRecorder()
	if ok, err := stream([][]string{{"a", "b"}, {"c"}}, true, nil).Serve(w, "xlsx"); !ok || err != nil {
		t.Fatalf("Serve = %v, %v", ok, err)
	}
	f, err := excelize.OpenReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r[0])
	}
	if want := "no,a,b,c,only the first rows"; strings.Join(got, ",") != want {
		t.Errorf("rows %q, want %s", got, want)
	}
	w = httptest.NewRecorder()
	if _, err := stream([][]string{{"a"}}, false, errors.New("gone")).Serve(w, "xlsx"); err == nil || w.Body.Len() > 0 {
		t.Errorf("a failed XLSX: %v, %d bytes written", err, w.Body.Len())
	}
	if ok, _ := stream(nil, false, nil).Serve(httptest.NewRecorder(), "pdf"); ok {
		t.Error("pdf served")
	}
}
