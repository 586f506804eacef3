package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"onevisit/internal/apperr"
)

// importKeep is how long an uploaded catalog file waits to be applied.
const importKeep = 24 * time.Hour

// shaName is the name of a stored file: its SHA-256, lower-case hex.
var shaName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// importFiles keeps uploaded catalog files between review and apply, named
// by content: <dir>/<sha256>.json or .xlsx.
type importFiles struct {
	dir string
	now func() time.Time
}

func (s *Server) importFiles() importFiles { return importFiles{dir: s.imports, now: time.Now} }

// put stores data and returns its SHA-256; files older than importKeep are
// deleted first. Storing a file again makes it young again.
func (f importFiles) put(data []byte) (string, error) {
	if f.dir == "" {
		return "", errors.New("no folder for catalog imports configured")
	}
	if err := os.MkdirAll(f.dir, 0o750); err != nil {
		return "", err
	}
	f.prune()
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	path := filepath.Join(f.dir, sha+importExt(data))
	if now := f.now(); os.Chtimes(path, now, now) == nil {
		return sha, nil // the same file, stored before
	}
	tmp, err := os.CreateTemp(f.dir, ".upload-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return sha, os.Rename(tmp.Name(), path)
}

// get reads the stored file sha. The name is checked before the file
// system is touched: it must be 64 lower-case hex digits.
func (f importFiles) get(sha string) ([]byte, error) {
	if !shaName.MatchString(sha) || f.dir == "" {
		return nil, apperr.New(apperr.NotFound, "err.catalogsync.import_expired")
	}
	for _, ext := range []string{".json", ".xlsx"} {
		data, err := os.ReadFile(filepath.Join(f.dir, sha+ext))
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read catalog import: %w", err)
		}
	}
	return nil, apperr.New(apperr.NotFound, "err.catalogsync.import_expired")
}

// prune deletes the stored files older than importKeep, and leftovers of
// failed writes; it only ever touches names it could have written.
func (f importFiles) prune() {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return
	}
	cutoff := f.now().Add(-importKeep)
	for _, e := range entries {
		if !e.Type().IsRegular() || !importFileName(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(f.dir, e.Name()))
		}
	}
}

// importFileName reports whether put could have written name: a stored
// file or a temporary one.
func importFileName(name string) bool {
	if strings.HasPrefix(name, ".upload-") {
		return true
	}
	sha, ext, _ := strings.Cut(name, ".")
	return (ext == "json" || ext == "xlsx") && shaName.MatchString(sha)
}

// importExt is the extension of a catalog file: a workbook (a ZIP archive)
// or a JSON document.
func importExt(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ".xlsx"
	}
	return ".json"
}
