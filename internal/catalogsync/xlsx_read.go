package catalogsync

import (
	"archive/zip"
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/catalog"
)

// maxUnzipped bounds what a workbook may unpack to. A national catalog
// export of 10,000 items is about 20 MB of sheet XML; a small file that
// would unpack to more is refused before anything is decompressed (a zip
// bomb), and excelize is held to the same bound.
const maxUnzipped = 256 << 20

// unzippedSize is what the ZIP in data says its entries unpack to; archive/zip
// refuses an entry that turns out longer than it said.
func unzippedSize(data []byte) (uint64, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, e := range z.File {
		n += e.UncompressedSize64
	}
	return n, nil
}

// readXLSX parses the XLSX format. Only the 事项 sheet is required; a
// missing 说明 sheet means the current format version.
func readXLSX(data []byte) (catalog.Snapshot, locator, []FileError) {
	loc := &xlsxLocator{}
	if n, err := unzippedSize(data); err == nil && n > maxUnzipped {
		return catalog.Snapshot{}, loc, []FileError{newError("err.catalogsync.xlsx_too_large", maxUnzipped>>20)}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return catalog.Snapshot{}, loc, []FileError{newError("err.catalogsync.xlsx", err.Error())}
	}
	defer f.Close()
	r := &xlsxReader{f: f}
	snap := catalog.Snapshot{Format: catalog.SnapshotFormat, Version: catalog.SnapshotVersion}
	r.about(&snap)
	snap.Items, loc.items = readSheet(r, sheetItems, itemColumns, true)
	snap.Materials, loc.materials = readSheet(r, sheetMaterials, materialColumns, false)
	snap.Proofs, loc.proofs = readSheet(r, sheetProofs, proofColumns, false)
	if len(r.errs) > 0 && len(snap.Items) == 0 {
		return snap, loc, r.errs // without items, their materials are all errors
	}
	ims, imRows := readSheet(r, sheetItemMaterials, itemMaterialColumns, false)
	loc.itemMaterials = r.attachMaterials(snap.Items, ims, imRows)
	brs, bRows := readSheet(r, sheetBundles, bundleColumns, false)
	snap.Bundles, loc.bundles = r.bundles(brs, bRows)
	return snap, loc, r.errs
}

// xlsxReader collects the errors of reading a workbook.
type xlsxReader struct {
	f    *excelize.File
	errs []FileError
}

func (r *xlsxReader) fail(sheet string, row int, header, key string, args ...any) {
	e := newError(key, args...)
	e.Sheet, e.Row, e.Field = sheet, row, header
	r.errs = append(r.errs, e)
}

// readSheet reads the rows below the header of sheet, matching columns by
// header (other columns are ignored), and returns them with their row
// numbers. Blank rows are skipped.
func readSheet[T any](r *xlsxReader, sheet string, cols []column[T], required bool) ([]T, []int) {
	if idx, _ := r.f.GetSheetIndex(sheet); idx < 0 {
		if required {
			r.fail(sheet, 0, "", "err.catalogsync.sheet_missing", sheet)
		}
		return nil, nil
	}
	rows, err := r.f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		r.fail(sheet, 0, "", "err.catalogsync.xlsx", err.Error())
		return nil, nil
	}
	at, ok := headers(r, sheet, rows, cols)
	if !ok {
		return nil, nil
	}
	var vs []T
	var nums []int
	for i := 1; i < len(rows); i++ {
		if blank(rows[i]) {
			continue
		}
		vs = append(vs, readRow(r, sheet, i+1, rows[i], cols, at))
		nums = append(nums, i+1)
	}
	return vs, nums
}

func readRow[T any](r *xlsxReader, sheet string, num int, cells []string, cols []column[T], at map[string]int) T {
	var v T
	for _, c := range cols {
		i, ok := at[c.header]
		if !ok {
			continue
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if !c.set(&v, cell) {
			r.fail(sheet, num, c.header, c.bad, excerpt(cell))
		}
	}
	return v
}

// headers maps each header of the first row to its column, and reports
// every required column that is missing.
func headers[T any](r *xlsxReader, sheet string, rows [][]string, cols []column[T]) (map[string]int, bool) {
	at := map[string]int{}
	if len(rows) > 0 {
		for i, h := range rows[0] {
			at[strings.TrimSpace(h)] = i
		}
	}
	ok := true
	for _, c := range cols {
		if _, found := at[c.header]; !found && !c.optional {
			r.fail(sheet, 1, c.header, "err.catalogsync.column_missing", c.header)
			ok = false
		}
	}
	return at, ok
}

// attachMaterials gives each item its rows of the 事项材料 sheet, in row
// order, and returns the row numbers per item.
func (r *xlsxReader) attachMaterials(items []catalog.Item, ms []itemMaterialRow, nums []int) [][]int {
	index := map[string]int{}
	for i, it := range items {
		index[strings.TrimSpace(it.Code)] = i
	}
	rows := make([][]int, len(items))
	for k, m := range ms {
		i, ok := index[strings.TrimSpace(m.ItemCode)]
		if !ok {
			r.fail(sheetItemMaterials, nums[k], fieldHeader(itemMaterialColumns, "itemCode"), "err.catalog.item_not_found", m.ItemCode)
			continue
		}
		m.MaterialCode = strings.TrimSpace(m.MaterialCode)
		items[i].Materials = append(items[i].Materials, m.ItemMaterial)
		rows[i] = append(rows[i], nums[k])
	}
	return rows
}

// bundles groups the rows of the 一件事 sheet by bundle code, in order of
// first appearance, and orders each bundle's stages by 阶段序号. The name,
// object and theme come from a bundle's first row; later rows may leave
// them blank but not contradict them.
func (r *xlsxReader) bundles(rows []bundleRow, nums []int) ([]catalog.Bundle, [][]int) {
	var bs []catalog.Bundle
	var at [][]int
	var orders [][]int
	index := map[string]int{}
	for k, row := range rows {
		code := strings.TrimSpace(row.Code)
		i, ok := index[code]
		if !ok {
			i, index[code] = len(bs), len(bs)
			bs = append(bs, catalog.Bundle{Code: code, Name: row.Name, Object: row.Object, Theme: row.Theme})
			at, orders = append(at, nil), append(orders, nil)
		}
		r.sameBundle(bs[i], row, nums[k])
		if slices.Contains(orders[i], row.Order) {
			r.fail(sheetBundles, nums[k], fieldHeader(bundleColumns, "stage.order"), "err.catalog.duplicate")
		}
		bs[i].Stages = append(bs[i].Stages, catalog.Stage{Name: row.Stage, ItemCodes: row.ItemCodes})
		at[i], orders[i] = append(at[i], nums[k]), append(orders[i], row.Order)
	}
	for i := range bs {
		sortStages(&bs[i], at[i], orders[i])
	}
	return bs, at
}

func (r *xlsxReader) sameBundle(b catalog.Bundle, row bundleRow, num int) {
	for _, f := range []struct{ field, got, want string }{
		{"name", row.Name, b.Name}, {"object", string(row.Object), string(b.Object)}, {"theme", row.Theme, b.Theme},
	} {
		if f.got != "" && f.got != f.want {
			r.fail(sheetBundles, num, fieldHeader(bundleColumns, f.field), "err.catalogsync.bundle_mismatch", f.want)
		}
	}
}

// sortStages orders a bundle's stages (and their row numbers) by order.
func sortStages(b *catalog.Bundle, rows, orders []int) {
	idx := make([]int, len(orders))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return orders[x] - orders[y] })
	stages, nums := make([]catalog.Stage, len(idx)), make([]int, len(idx))
	for k, i := range idx {
		stages[k], nums[k] = b.Stages[i], rows[i]
	}
	b.Stages = stages
	copy(rows, nums)
}

// about reads the 说明 sheet, if there is one.
func (r *xlsxReader) about(snap *catalog.Snapshot) {
	rows, nums := readSheet(r, sheetAbout, aboutColumns, false)
	for k, row := range rows {
		v := strings.TrimSpace(row.Value)
		switch strings.TrimSpace(row.Key) {
		case aboutFormat:
			snap.Format = v
		case aboutVersion:
			n, err := strconv.Atoi(v)
			if err != nil {
				r.fail(sheetAbout, nums[k], aboutVersion, "err.catalogsync.integer", v)
			}
			snap.Version = n
		case aboutSource:
			snap.Source = row.Value
		case aboutExported:
			snap.ExportedAt, _ = time.Parse(time.RFC3339, v)
		}
	}
}

// excerpt is the start of a cell's text, for messages.
func excerpt(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
