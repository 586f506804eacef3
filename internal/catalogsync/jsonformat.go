package catalogsync

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"

	"onevisit/internal/catalog"
)

// writeJSON writes snap as the JSON format: the catalog.Snapshot, indented.
func writeJSON(w io.Writer, snap catalog.Snapshot) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(snap)
}

// readJSON parses the JSON format strictly: a syntax error, every unknown
// field and the first value of a wrong type are reported with their line
// and column.
func readJSON(data []byte) (catalog.Snapshot, locator, []FileError) {
	w, err := walkJSON(data, reflect.TypeFor[catalog.Snapshot]())
	loc := jsonLocator{data: data, at: w.at}
	if err != nil {
		return catalog.Snapshot{}, loc, []FileError{jsonSyntaxError(data, err)}
	}
	var errs []FileError
	for _, p := range w.problems {
		errs = append(errs, loc.locate(p))
	}
	var snap catalog.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		errs = append(errs, jsonTypeError(data, w.at, err))
	}
	return snap, loc, errs
}

func jsonSyntaxError(data []byte, err error) FileError {
	e := newError("err.catalogsync.json_syntax", err.Error())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		e.Line, e.Column = lineCol(data, int(se.Offset))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		e.Args = []any{"unexpected end of file"}
		e.Line, e.Column = lineCol(data, len(data))
	}
	return e
}

// jsonTypeError places a value of the wrong type. encoding/json names the
// field without array indexes (items.statutoryLimit), so the path is the
// last one the walker saw start before the error's offset.
func jsonTypeError(data []byte, at map[string]int, err error) FileError {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return jsonSyntaxError(data, err)
	}
	e := newError("err.catalogsync.json_type", te.Value, te.Type.String())
	e.Field = te.Field
	best := -1
	for p, off := range at {
		if off < int(te.Offset) && (off > best || off == best && len(p) < len(e.Field)) {
			best, e.Field = off, p
		}
	}
	e.Line, e.Column = lineCol(data, max(best, 0))
	return e
}
