package catalogsync

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"

	"onevisit/internal/catalog"
)

// Format is a file format of the catalog (docs/catalog-format.md).
type Format string

// The formats; Auto tells them apart by their first bytes.
const (
	Auto Format = "auto"
	JSON Format = "json"
	XLSX Format = "xlsx"
)

// XLSXMediaType is the MIME type of an XLSX workbook.
const XLSXMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ParseFormat reads a format name; "" is Auto.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "":
		return Auto, nil
	case Auto, JSON, XLSX:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: want auto, json or xlsx", s)
}

// detect tells an XLSX workbook (a ZIP archive) from a JSON document.
func detect(data []byte) Format {
	switch trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return XLSX
	case bytes.HasPrefix(trimmed, []byte("{")):
		return JSON
	}
	return ""
}

// Write writes snap in format f (JSON or XLSX).
func Write(w io.Writer, snap catalog.Snapshot, f Format) error {
	switch f {
	case JSON:
		return writeJSON(w, snap)
	case XLSX:
		return writeXLSX(w, snap)
	}
	return fmt.Errorf("cannot write format %q", f)
}

// Read parses a catalog file in format f (Auto to detect it) and checks it
// on its own: its references must resolve within the file. A file that
// cannot be read is a *MalformedError listing every problem found.
func Read(data []byte, f Format) (catalog.Snapshot, error) {
	snap, loc, errs := parse(data, f)
	if len(errs) == 0 {
		errs = locateAll(loc, check(snap, nil, nil))
	}
	if len(errs) > 0 {
		return catalog.Snapshot{}, &MalformedError{Errors: errs}
	}
	return snap, nil
}

// parse reads the file into a normalised snapshot, with the locator that
// places problems found later in it.
func parse(data []byte, f Format) (catalog.Snapshot, locator, []FileError) {
	if f == Auto || f == "" {
		f = detect(data)
	}
	var snap catalog.Snapshot
	var loc locator
	var errs []FileError
	switch f {
	case JSON:
		snap, loc, errs = readJSON(bytes.TrimPrefix(data, []byte("\ufeff")))
	case XLSX:
		snap, loc, errs = readXLSX(data)
	default:
		return snap, nil, []FileError{newError("err.catalogsync.format_unknown")}
	}
	return normalize(snap), loc, errs
}

// locateAll places problems and sorts them in file order.
func locateAll(loc locator, ps []problem) []FileError {
	var errs []FileError
	for _, p := range ps {
		errs = append(errs, loc.locate(p))
	}
	slices.SortStableFunc(errs, func(a, b FileError) int {
		return cmp.Or(cmp.Compare(sheetRank(a.Sheet), sheetRank(b.Sheet)), cmp.Compare(a.Row, b.Row),
			cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return errs
}

// sheetRank is the place of a sheet in the workbook.
func sheetRank(sheet string) int {
	return slices.Index([]string{sheetItems, sheetItemMaterials, sheetMaterials, sheetProofs, sheetBundles, sheetAbout}, sheet)
}
