package catalogsync

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/demo"
)

// demoWorkbook is the demo catalog as XLSX, edited by edit.
func demoWorkbook(t *testing.T, edit func(f *excelize.File)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, demo.Catalog(), XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	edit(f)
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// cell is the address of the column with header on row of sheet.
func cell(t *testing.T, f *excelize.File, sheet, header string, row int) string {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.CoordinatesToCellName(i+1, row)
			return name
		}
	}
	t.Fatalf("no column %s on %s", header, sheet)
	return ""
}

func set(t *testing.T, f *excelize.File, sheet, header string, row int, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell(t, f, sheet, header, row), v); err != nil {
		t.Fatal(err)
	}
}

type placed struct {
	sheet string
	row   int
	field string
	key   string
}

func placesOf(errs []FileError) []placed {
	out := make([]placed, len(errs))
	for i, e := range errs {
		out[i] = placed{e.Sheet, e.Row, e.Field, e.Key}
	}
	return out
}

func TestReadXLSXPlacesErrorsBySheetRowAndColumn(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, f *excelize.File)
		want []placed
	}{
		{"cells that cannot be read", func(t *testing.T, f *excelize.File) {
			set(t, f, sheetItems, "法定时限（工作日）", 7, "十天")
			set(t, f, sheetItems, "可预约", 9, "也许")
			set(t, f, sheetItemMaterials, "原件", 4, "1.5")
		}, []placed{
			{sheetItems, 7, "法定时限（工作日）", "err.catalogsync.days"},
			{sheetItems, 9, "可预约", "err.catalogsync.bool"},
			{sheetItemMaterials, 4, "原件", "err.catalogsync.integer"},
		}},
		{"rules of the catalog", func(t *testing.T, f *excelize.File) {
			set(t, f, sheetItems, "承诺时限（工作日）", 7, 99.5)
			set(t, f, sheetItems, "办件类型", 8, "特别件")
			set(t, f, sheetItemMaterials, "材料编码", 5, "M999")
		}, []placed{
			{sheetItems, 7, "承诺时限（工作日）", "err.catalog.promised_over_statutory"},
			{sheetItems, 8, "办件类型", "err.catalog.unknown_value"},
			{sheetItemMaterials, 5, "材料编码", "err.catalog.material_missing"},
		}},
		{"a material of an unknown item", func(t *testing.T, f *excelize.File) {
			set(t, f, sheetItemMaterials, "实施编码", 3, "NO-SUCH-ITEM")
		}, []placed{{sheetItemMaterials, 3, "实施编码", "err.catalog.item_not_found"}}},
		{"a missing column", func(t *testing.T, f *excelize.File) {
			set(t, f, sheetItems, "事项名称", 1, "名称")
		}, []placed{{sheetItems, 1, "事项名称", "err.catalogsync.column_missing"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := demoWorkbook(t, func(f *excelize.File) { tt.edit(t, f) })
			got := placesOf(readErrors(t, data))
			if len(got) != len(tt.want) {
				t.Fatalf("errors %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("error %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestFileErrorReadsAsOneLine(t *testing.T) {
	e := FileError{Sheet: sheetItems, Row: 7, Field: "承诺时限（工作日）", Message: "must not exceed 法定时限"}
	if got, want := e.String(), "事项 row 7, 承诺时限（工作日）: must not exceed 法定时限"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	e = FileError{Line: 12, Column: 5, Field: "items[3].promisedLimit", Message: "too long"}
	if got, want := e.String(), "line 12, column 5, items[3].promisedLimit: too long"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestReadXLSXWithoutOptionalSheets(t *testing.T) {
	data := demoWorkbook(t, func(f *excelize.File) {
		for _, s := range []string{sheetAbout, sheetBundles} {
			if err := f.DeleteSheet(s); err != nil {
				t.Fatal(err)
			}
		}
	})
	snap, err := Read(data, XLSX)
	if err != nil || len(snap.Items) != 54 || len(snap.Bundles) != 0 || snap.Format != "onevisit-catalog" {
		t.Fatalf("Read: %d items, %d bundles, format %q, %v", len(snap.Items), len(snap.Bundles), snap.Format, err)
	}
}

// A small workbook that would unpack to gigabytes (a zip bomb) is refused
// with a clear message before anything is decompressed.
func TestAZipBombWorkbookIsRefused(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 300 { // 300 MB of zeros: a few hundred kilobytes compressed
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 2<<20 {
		t.Fatalf("the bomb is %d bytes compressed", buf.Len())
	}
	_, err = Read(buf.Bytes(), XLSX)
	var fe *MalformedError
	if !errors.As(err, &fe) || len(fe.Errors) != 1 || fe.Errors[0].Key != "err.catalogsync.xlsx_too_large" {
		t.Fatalf("a zip bomb: %v, want the too-large error", err)
	}
}
