// Package uploads keeps the material files applicants upload, addressed by
// their SHA-256. Only PDF, JPEG, PNG and OFD files are accepted, judged by
// their content and never by their name; a stored file is on disk (file and
// directory fsynced) before Put returns.
package uploads

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Blob describes a stored file. The same content always gives the same
// SHA256, Size and MediaType; Name is what the uploader called it, cleaned.
type Blob struct {
	SHA256    string // lowercase hex
	Size      int64
	MediaType string // "application/pdf", "image/jpeg", "image/png" or "application/ofd"
	Name      string // base name only, printable, at most 200 runes
}

// Store is a content-addressed folder of uploaded files: a file with digest
// abcdef… lives at dir/sha256/ab/cdef…. It is safe for concurrent use.
type Store struct {
	dir string
	max int64
}

// New opens (creating if needed) a store in dir that accepts files of up to
// maxBytes bytes.
func New(dir string, maxBytes int64) (*Store, error) {
	if maxBytes <= 0 {
		return nil, errors.New("uploads: maxBytes must be positive")
	}
	if err := os.MkdirAll(filepath.Join(dir, "sha256"), 0o750); err != nil {
		return nil, fmt.Errorf("uploads: %w", err)
	}
	return &Store{dir: dir, max: maxBytes}, nil
}

// Put stores the content of r if it is an accepted type of at most the
// store's limit, and returns its Blob. Errors are *TooLargeError
// (errors.Is ErrTooLarge) and *TypeError (errors.Is ErrType) for files the
// applicant must replace, or I/O errors. Storing content already present
// writes nothing.
func (s *Store) Put(r io.Reader, declaredName string) (Blob, error) {
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return Blob{}, fmt.Errorf("uploads: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, s.max+1))
	if err != nil {
		return Blob{}, fmt.Errorf("uploads: receive: %w", err)
	}
	if n > s.max {
		return Blob{}, &TooLargeError{Limit: s.max}
	}
	media, err := sniff(tmp, n)
	if err != nil {
		return Blob{}, err
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: media}
	b.Name = CleanName(declaredName, media)
	return b, s.commit(tmp, b.SHA256)
}

// commit makes tmp the durable file for sha unless that file exists.
func (s *Store) commit(tmp *os.File, sha string) error {
	final := s.path(sha)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("uploads: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("uploads: close: %w", err)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	// Two Puts of the same content may both get here; rename is atomic and
	// both files hold the same bytes, so either may win.
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("uploads: %w", err)
	}
	return syncDirs(dir, filepath.Dir(dir))
}

// syncDirs fsyncs directories so that a new entry (the file, or a fan-out
// directory created for it) survives a crash.
func syncDirs(dirs ...string) error {
	for _, d := range dirs {
		f, err := os.Open(d)
		if err != nil {
			return fmt.Errorf("uploads: %w", err)
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return fmt.Errorf("uploads: sync %s: %w", d, err)
		}
	}
	return nil
}

// Open returns the stored file with the given SHA-256 (64 hex digits).
// A file that is not stored gives an error that errors.Is fs.ErrNotExist.
func (s *Store) Open(sha string) (io.ReadSeekCloser, error) {
	if !validSHA(sha) {
		return nil, ErrBadDigest
	}
	f, err := os.Open(s.path(sha))
	if err != nil {
		return nil, fmt.Errorf("uploads: open %s: %w", sha, err)
	}
	return f, nil
}

// ErrBadDigest is returned by Open for anything but 64 lowercase hex digits.
var ErrBadDigest = errors.New("uploads: not a SHA-256 hex digest")

func validSHA(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, "sha256", sha[:2], sha[2:])
}
