package catalogsync

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonWalker reads a JSON document token by token, recording where each
// value starts (by JSON path) and reporting every object key that the Go
// type it decodes into does not have — all of them, where encoding/json
// would stop at the first.
type jsonWalker struct {
	dec      *json.Decoder
	data     []byte
	at       map[string]int // path → byte offset of its key or value
	problems []problem
}

// walkJSON walks data as a value of type t. A syntax error is returned.
func walkJSON(data []byte, t reflect.Type) (*jsonWalker, error) {
	w := &jsonWalker{dec: json.NewDecoder(bytes.NewReader(data)), data: data, at: map[string]int{}}
	if err := w.value("", t); err != nil {
		return w, err
	}
	if _, err := w.dec.Token(); err == nil {
		return w, &json.SyntaxError{Offset: w.dec.InputOffset()}
	}
	return w, nil
}

// start is the offset of the next token: the decoder's offset is just
// past the previous one, before any separator and white space.
func (w *jsonWalker) start() int {
	off := int(w.dec.InputOffset())
	for off < len(w.data) && strings.IndexByte(" \t\r\n,:", w.data[off]) >= 0 {
		off++
	}
	return off
}

func (w *jsonWalker) value(path string, t reflect.Type) error {
	if _, ok := w.at[path]; !ok {
		w.at[path] = w.start()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return w.object(path, t)
	case json.Delim('['):
		return w.array(path, t)
	}
	return nil
}

func (w *jsonWalker) object(path string, t reflect.Type) error {
	for w.dec.More() {
		at := w.start()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		p := key
		if path != "" {
			p = path + "." + key
		}
		w.at[p] = at
		ft, ok := fieldType(t, key)
		if !ok {
			w.problems = append(w.problems, problem{path: p, key: "err.catalogsync.unknown_field", args: []any{key}})
		}
		if err := w.value(p, ft); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

func (w *jsonWalker) array(path string, t reflect.Type) error {
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		elem = t.Elem()
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.value(path+"["+strconv.Itoa(i)+"]", elem); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// fieldType is the type of the field key of struct type t, matched
// exactly on its JSON name. Unknown types (nil) accept any key.
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil, t == nil || t.Kind() == reflect.Map || t.Kind() == reflect.Interface
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if name == key && name != "-" && f.IsExported() {
			return f.Type, true
		}
	}
	return nil, false
}

// lineCol is the 1-based line and column (in characters) of offset off.
func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line := 1 + strings.Count(string(before), "\n")
	lineStart := strings.LastIndexByte(string(before), '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}

// jsonLocator places problems by the offsets a jsonWalker recorded; a
// path with no offset of its own takes its nearest parent's.
type jsonLocator struct {
	data []byte
	at   map[string]int
}

func (l jsonLocator) locate(p problem) FileError {
	e := newError(p.key, p.args...)
	e.Field = p.path
	for q := p.path; q != ""; q = parentPath(q) {
		if off, ok := l.at[q]; ok {
			e.Line, e.Column = lineCol(l.data, off)
			break
		}
	}
	return e
}
