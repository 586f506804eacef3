package uploads

import (
	"errors"
	"fmt"
)

// ErrTooLarge and ErrType are the kinds of error Put returns for a file the
// applicant has to replace; match them with errors.Is.
var (
	ErrTooLarge = errors.New("uploads: file too large")
	ErrType     = errors.New("uploads: file type not accepted")
)

// TooLargeError reports a file over the store's limit.
type TooLargeError struct {
	Limit int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("uploads: file larger than the limit of %d bytes", e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// TypeError reports a file whose content is not an accepted type.
type TypeError struct {
	Detected string // what the content looks like, e.g. "text/html; charset=utf-8"
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("uploads: %s is not accepted (PDF, JPEG, PNG or OFD only)", e.Detected)
}

// Is makes errors.Is(err, ErrType) true.
func (e *TypeError) Is(target error) bool { return target == ErrType }
