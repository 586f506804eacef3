package analytics

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Table is the data of a chart or table as rows of cells, for export.
// Numbers stay numbers in XLSX.
type Table struct {
	Name   string
	Header []string
	Rows   [][]any
}

// WriteCSV writes t as CSV with a UTF-8 byte-order mark, so that Excel
// opens Chinese text correctly.
func (t Table) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := cw.Write(recordOf(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cellText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// WriteXLSX writes t as a one-sheet workbook.
func (t Table) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	if err := f.SetSheetRow(sheet, "A1", &t.Header); err != nil {
		return err
	}
	for i, r := range t.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// figureHeader and figureCells lay out Figures as columns.
var figureHeader = []string{"received", "accepted", "refused", "decided", "approved", "timed", "onTimePromised",
	"onTimeStatutory", "withinOneVisit", "zeroVisit", "onTimePromisedRate", "onTimeStatutoryRate", "realizationRate",
	"zeroVisitShare", "avgDaysUsed", "avgDaysPromised", "avgDaysStatutory"}

func figureCells(f Figures) []any {
	return []any{f.Received, f.Accepted, f.Refused, f.Decided, f.Approved, f.Timed, f.OnTimePromised, f.OnTimeStatutory,
		f.WithinOneVisit, f.ZeroVisit, f.OnTimePromisedRate, f.OnTimeStatutoryRate, f.RealizationRate, f.ZeroVisitShare,
		f.AvgDaysUsed, f.AvgDaysPromised, f.AvgDaysStatutory}
}

// SummaryTable lays out a summary: one row per period.
func SummaryTable(s Summary) Table {
	t := Table{Name: "summary", Header: append([]string{"period", "from", "to"}, figureHeader...)}
	t.Rows = append(t.Rows, append([]any{"current", s.Filter.From.String(), s.Filter.To.String()}, figureCells(s.Current)...))
	t.Rows = append(t.Rows, append([]any{"previous", s.PreviousFrom, s.PreviousTo}, figureCells(s.Previous)...))
	return t
}

// SeriesTable lays out a series: one row per bucket, a column per channel.
func SeriesTable(metric string, pts []Point, channels []string) Table {
	t := Table{Name: "series-" + metric, Header: append([]string{"period", metric}, channels...)}
	for _, p := range pts {
		row := []any{p.Period, p.Value}
		for _, ch := range channels {
			row = append(row, p.ByChannel[ch])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// RowsTable lays out a top list.
func RowsTable(by string, rs []Row) Table {
	t := Table{Name: "top-" + by, Header: append([]string{by}, figureHeader...)}
	for _, r := range rs {
		key := r.Department
		if by == ByItem {
			key = r.Item
		}
		t.Rows = append(t.Rows, append([]any{key}, figureCells(FiguresOf(r.Counts))...))
	}
	return t
}

// HeatmapTable lays out a heat map: a row per weekday, a column per hour.
func HeatmapTable(h Heatmap) Table {
	t := Table{Name: "heatmap-" + h.Metric, Header: []string{"weekday"}}
	for hour := range 24 {
		t.Header = append(t.Header, fmt.Sprintf("%02d", hour))
	}
	for wd, cells := range h.Cells {
		row := []any{wd + 1}
		for _, v := range cells {
			row = append(row, v)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// drillHeader names the columns of a drill-down download.
var drillHeader = []string{"no", "item", "itemName", "department", "departmentName", "channel", "status",
	"warning", "visits", "createdAt", "startOn", "duePromised", "decidedAt"}

// drillRows lays out drill-down cases, one row each.
func drillRows(cs []DrillCase) [][]any {
	rows := make([][]any, len(cs))
	for i, c := range cs {
		decided := ""
		if !c.DecidedAt.IsZero() {
			decided = c.DecidedAt.Format(time.RFC3339)
		}
		rows[i] = []any{c.No, c.ItemCode, c.ItemName, c.Department, c.DepartmentName, c.Channel, c.Status, c.Warning, c.Visits,
			c.CreatedAt.Format(time.RFC3339), c.StartOn, c.DueOn, decided}
	}
	return rows
}

// Serve writes t as a download in format, "csv" or "xlsx", and reports
// false, writing nothing, for any other format. A failure to encode is
// returned before anything is written.
func (t Table) Serve(w http.ResponseWriter, format string) (bool, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = t.WriteCSV(&buf)
	case "xlsx":
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = t.WriteXLSX(&buf)
	default:
		return false, nil
	}
	if err != nil {
		w.Header().Del("Content-Type")
		return true, err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, t.Name, format))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
	return true, nil
}

// ExportMax bounds a download that lists cases: a drill-down exports at
// most this many rows, so one click cannot exhaust the server's memory or
// the database; its last row says when cases were left out.
const ExportMax = 100000

// ErrIncomplete marks an error met after a streamed download had started:
// the response is under way (its last row says the file is incomplete),
// so the error can only be logged.
var ErrIncomplete = errors.New("download incomplete")

// Stream is a table too long to hold: Rows hands its rows to emit in
// batches as it reads them and reports whether it left rows out (cut).
// Cut and Broken are the texts of the last row when rows were left out
// and when reading failed part-way.
type Stream struct {
	Name        string
	Header      []string
	Rows        func(emit func([][]any) error) (cut bool, err error)
	Cut, Broken string
}

// Serve writes st as a download in format, "csv" or "xlsx", and reports
// false, writing nothing, for any other format. CSV is written as the rows
// arrive; an error before the first row is returned with nothing written,
// one after it ends the file with the Broken row and is returned wrapped
// in ErrIncomplete. XLSX is assembled (on disk past a few MB) and written
// at the end, so any error comes before anything is written.
func (st Stream) Serve(w http.ResponseWriter, format string) (bool, error) {
	switch format {
	case "csv":
		return true, st.serveCSV(w)
	case "xlsx":
		return true, st.serveXLSX(w)
	}
	return false, nil
}

func (st Stream) downloadHeaders(w http.ResponseWriter, contentType, format string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, st.Name, format))
	w.Header().Set("Cache-Control", "no-store")
}

func (st Stream) serveCSV(w http.ResponseWriter) error {
	var cw *csv.Writer
	start := func() error {
		if cw != nil {
			return nil
		}
		st.downloadHeaders(w, "text/csv; charset=utf-8", "csv")
		cw = csv.NewWriter(w) // from here on the response is under way
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		return cw.Write(st.Header)
	}
	cut, err := st.Rows(func(rows [][]any) error {
		if err := start(); err != nil {
			return err
		}
		for _, r := range rows {
			if err := cw.Write(recordOf(r)); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil && cw == nil {
		return err
	}
	if err := start(); err != nil { // an empty list is a header only
		return fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	switch {
	case err != nil:
		_ = cw.Write([]string{st.Broken})
	case cut:
		_ = cw.Write([]string{st.Cut})
	}
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	return nil
}

func recordOf(r []any) []string {
	rec := make([]string, len(r))
	for i, v := range r {
		rec[i] = cellText(v)
	}
	return rec
}

func (st Stream) serveXLSX(w http.ResponseWriter) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	line := 1
	put := func(r []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, line)
		line++
		return sw.SetRow(cell, r)
	}
	header := make([]any, len(st.Header))
	for i, h := range st.Header {
		header[i] = h
	}
	if err := put(header); err != nil {
		return err
	}
	cut, err := st.Rows(func(rows [][]any) error {
		for _, r := range rows {
			if err := put(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if cut {
		if err := put([]any{st.Cut}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	st.downloadHeaders(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
	_, _ = f.WriteTo(w)
	return nil
}
