// Package apperr defines the few kinds of error that onevisit's domain code
// returns, each with a safe, translatable message and optional field errors.
// Transports map a Kind to a status code in one table each; users never see
// the text of a wrapped internal error.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for transports.
type Kind int

// The kinds of error. The zero value is Internal so that a forgotten kind
// never leaks as a client error.
const (
	Internal Kind = iota
	Invalid
	NotFound
	Conflict
	Forbidden
	Unauthenticated
	TooMany
)

var kindCodes = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unauthenticated", "too_many_requests"}

// Code is the stable machine name of the kind, used in JSON error bodies.
func (k Kind) Code() string {
	if int(k) < len(kindCodes) {
		return kindCodes[k]
	}
	return "internal"
}

// Error is an error with a kind, a message key for the catalog, arguments for
// the message, and per-field message keys.
type Error struct {
	Kind   Kind
	Key    string            // message catalog key, e.g. "err.login_failed"
	Args   []any             // arguments for the message
	Fields map[string]string // field name → message key (or literal message)
	Err    error             // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	msg := e.Key
	if len(e.Args) > 0 {
		msg = fmt.Sprint(append([]any{msg, " "}, e.Args...)...)
	}
	if len(e.Fields) > 0 {
		msg += fmt.Sprint(" ", e.Fields)
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k with message key and arguments.
func New(k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args}
}

// Field returns an Invalid error for one field.
func Field(field, key string) *Error {
	return &Error{Kind: Invalid, Key: "err.invalid_input", Fields: map[string]string{field: key}}
}

// Wrap returns an Internal error that keeps err as its cause.
func Wrap(err error, context string) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: Internal, Key: "err.internal", Err: fmt.Errorf("%s: %w", context, err)}
}

// KindOf reports the kind of err: the kind of the first *Error in its chain,
// or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain, or an Internal one wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Internal, Key: "err.internal", Err: err}
}

// Is reports whether err has kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }
