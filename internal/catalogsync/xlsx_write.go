package catalogsync

import (
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/catalog"
)

// writeXLSX writes snap as the XLSX workbook of docs/catalog-format.md.
func writeXLSX(w io.Writer, snap catalog.Snapshot) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetItems); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	x := &xlsxWriter{f: f, bold: bold}
	writeSheet(x, sheetItems, itemColumns, snap.Items)
	writeSheet(x, sheetItemMaterials, itemMaterialColumns, itemMaterialRows(snap.Items))
	writeSheet(x, sheetMaterials, materialColumns, snap.Materials)
	writeSheet(x, sheetProofs, proofColumns, snap.Proofs)
	writeSheet(x, sheetBundles, bundleColumns, bundleRows(snap.Bundles))
	writeSheet(x, sheetAbout, aboutColumns, about(snap))
	if x.err != nil {
		return x.err
	}
	return f.Write(w)
}

// xlsxWriter keeps the first error of a series of writes.
type xlsxWriter struct {
	f    *excelize.File
	bold int
	err  error
}

func (x *xlsxWriter) do(err error) {
	if x.err == nil {
		x.err = err
	}
}

// writeSheet writes a header row in bold, then one row per value.
func writeSheet[T any](x *xlsxWriter, sheet string, cols []column[T], vs []T) {
	if idx, _ := x.f.GetSheetIndex(sheet); idx < 0 {
		_, err := x.f.NewSheet(sheet)
		x.do(err)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.header
	}
	x.do(x.f.SetSheetRow(sheet, "A1", &header))
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	x.do(x.f.SetCellStyle(sheet, "A1", last, x.bold))
	x.do(x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	for r, v := range vs {
		row := make([]any, len(cols))
		for i, c := range cols {
			row[i] = c.get(v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		x.do(x.f.SetSheetRow(sheet, cell, &row))
	}
}

func itemMaterialRows(items []catalog.Item) []itemMaterialRow {
	var rows []itemMaterialRow
	for _, it := range items {
		for _, m := range it.Materials {
			rows = append(rows, itemMaterialRow{ItemCode: it.Code, ItemMaterial: m})
		}
	}
	return rows
}

func bundleRows(bs []catalog.Bundle) []bundleRow {
	var rows []bundleRow
	for _, b := range bs {
		for i, st := range b.Stages {
			rows = append(rows, bundleRow{Code: b.Code, Name: b.Name, Theme: b.Theme, Object: b.Object,
				Order: i + 1, Stage: st.Name, ItemCodes: st.ItemCodes})
		}
	}
	return rows
}

// aboutRow is a row of the 说明 sheet: one property of the file.
type aboutRow struct{ Key, Value string }

var aboutColumns = []column[aboutRow]{
	text("项目", "key", func(r *aboutRow) *string { return &r.Key }),
	text("内容", "value", func(r *aboutRow) *string { return &r.Value }),
}

// The keys of the 说明 sheet.
const (
	aboutFormat   = "格式"
	aboutVersion  = "版本"
	aboutSource   = "来源"
	aboutExported = "导出时间"
)

func about(snap catalog.Snapshot) []aboutRow {
	rows := []aboutRow{{aboutFormat, snap.Format}, {aboutVersion, strconv.Itoa(snap.Version)}, {aboutSource, snap.Source}}
	if !snap.ExportedAt.IsZero() {
		rows = append(rows, aboutRow{aboutExported, snap.ExportedAt.Format(time.RFC3339)})
	}
	return rows
}
