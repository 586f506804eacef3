package catalogsync

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"onevisit/internal/apperr"
)

// FileError is one thing wrong with an imported file, placed as precisely
// as the format allows: a line and column and the JSON path of the field
// (items[3].promisedLimit) for JSON; a sheet, row and column header for
// XLSX.
type FileError struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field,omitempty"`
	Key     string `json:"key"`     // message key of the i18n catalog
	Args    []any  `json:"-"`       // arguments of the message
	Message string `json:"message"` // the message, once localised (Localize); the key until then
}

// Where is the error's place, e.g. "事项 row 7, 承诺时限（工作日）" or
// "line 12, column 5, items[3].promisedLimit".
func (e FileError) Where() string {
	var parts []string
	switch {
	case e.Sheet != "" && e.Row > 0:
		parts = append(parts, e.Sheet+" row "+strconv.Itoa(e.Row))
	case e.Sheet != "":
		parts = append(parts, e.Sheet)
	case e.Line > 0:
		parts = append(parts, fmt.Sprintf("line %d, column %d", e.Line, e.Column))
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	return strings.Join(parts, ", ")
}

// String is the error on one line: where, then the message.
func (e FileError) String() string {
	if w := e.Where(); w != "" {
		return w + ": " + e.Message
	}
	return e.Message
}

// Localize fills in the message of each error with t, typically
// (*i18n.Catalog).T bound to a language.
func Localize(errs []FileError, t func(key string, args ...any) string) {
	for i := range errs {
		errs[i].Message = t(errs[i].Key, errs[i].Args...)
	}
}

// MalformedError rejects a file that cannot be imported; nothing was
// changed. It is an apperr.Invalid error.
type MalformedError struct {
	Errors []FileError
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("catalog file has %d errors; first: %s", len(e.Errors), e.Errors[0])
}

// Unwrap gives transports the kind and the safe message.
func (e *MalformedError) Unwrap() error {
	return apperr.New(apperr.Invalid, "err.catalogsync.malformed", len(e.Errors))
}

func newError(key string, args ...any) FileError {
	return FileError{Key: key, Args: args, Message: key}
}

// problem is an error found in the parsed catalog, placed by the JSON
// path of what is wrong; a locator turns it into a FileError.
type problem struct {
	path string
	key  string
	args []any
}

// locator places a problem in the file it was read from.
type locator interface {
	locate(p problem) FileError
}

// pathStep is the last element of a path: ".name" or "[3]".
var pathStep = regexp.MustCompile(`(\.[^.\[]+|\[\d+\])$`)

// parentPath drops the last element of a JSON path: items[3].name →
// items[3] → items → "".
func parentPath(p string) string {
	if q := pathStep.ReplaceAllString(p, ""); q != p {
		return q
	}
	return ""
}
