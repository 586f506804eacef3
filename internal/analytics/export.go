package analytics

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"

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
		rec := make([]string, len(r))
		for i, v := range r {
			rec[i] = cellText(v)
		}
		if err := cw.Write(rec); err != nil {
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

// DrillTable lays out a drill-down page.
func DrillTable(p DrillPage) Table {
	t := Table{Name: "drill-" + p.Drill.Kind, Header: []string{"no", "item", "itemName", "department", "departmentName", "channel", "status",
		"warning", "visits", "createdAt", "startOn", "duePromised", "decidedAt"}}
	for _, c := range p.Cases {
		decided := ""
		if !c.DecidedAt.IsZero() {
			decided = c.DecidedAt.Format("2006-01-02T15:04:05Z07:00")
		}
		t.Rows = append(t.Rows, []any{c.No, c.ItemCode, c.ItemName, c.Department, c.DepartmentName, c.Channel, c.Status, c.Warning, c.Visits,
			c.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), c.StartOn, c.DueOn, decided})
	}
	return t
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
