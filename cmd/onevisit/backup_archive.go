package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// manifestName is the archive's last entry: the SHA-256 of every other.
const manifestName = "MANIFEST.json"

// manifest describes a backup archive.
type manifest struct {
	Version int               `json:"version"`
	Created string            `json:"created"`
	Files   map[string]string `json:"files"` // archive path → SHA-256, hex
}

// writeArchive writes the data folder's files, and the database snapshot
// if any as onevisit.db, to a tar.gz at to (through a temporary file, so a
// failed backup leaves no half archive). It returns the number of files.
func writeArchive(to, dataDir, snapshot string) (int, error) {
	files, err := dataFiles(dataDir)
	if err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(to), ".onevisit-backup-*.tar.gz")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	m := manifest{Version: 1, Created: stamp(), Files: map[string]string{}}
	if snapshot != "" {
		if m.Files[dbFile], err = addFile(tw, dbFile, snapshot); err != nil {
			return 0, err
		}
	}
	for _, name := range files {
		if m.Files[name], err = addFile(tw, name, filepath.Join(dataDir, filepath.FromSlash(name))); err != nil {
			return 0, err
		}
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(b))}); err != nil {
		return 0, err
	}
	if _, err := tw.Write(b); err != nil {
		return 0, err
	}
	if err := errors.Join(tw.Close(), gz.Close(), f.Sync(), f.Close()); err != nil {
		return 0, err
	}
	return len(m.Files), os.Rename(f.Name(), to)
}

// addFile copies the file at src into the archive as name and returns its
// SHA-256.
func addFile(tw *tar.Writer, name, src string) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(f, st.Size())); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// extractArchive unpacks the archive at src into dir and checks every
// file against the manifest; it refuses paths that would leave dir.
func extractArchive(src, dir string) (int, error) {
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("not a backup archive: %w", err)
	}
	tr := tar.NewReader(gz)
	got := map[string]string{}
	var m *manifest
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("read archive: %w", err)
		}
		if hdr.Name == manifestName {
			m = &manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(m); err != nil {
				return 0, fmt.Errorf("manifest: %w", err)
			}
			continue
		}
		if got[hdr.Name], err = extractFile(tr, hdr, dir); err != nil {
			return 0, err
		}
	}
	return len(got), checkManifest(m, got)
}

// extractFile writes one regular file of the archive under dir.
func extractFile(tr *tar.Reader, hdr *tar.Header, dir string) (string, error) {
	name := path.Clean(hdr.Name)
	if hdr.Typeflag != tar.TypeReg || path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
		return "", fmt.Errorf("archive entry %q: not a plain file inside the data folder", hdr.Name)
	}
	dst := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), tr)
	if err := errors.Join(err, out.Sync(), out.Close()); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkManifest compares what was extracted with what the manifest lists.
func checkManifest(m *manifest, got map[string]string) error {
	if m == nil {
		return errors.New("the archive has no manifest: not an onevisit backup, or cut short")
	}
	var errs []error
	for name, sum := range m.Files {
		switch g, ok := got[name]; {
		case !ok:
			errs = append(errs, fmt.Errorf("%s: missing from the archive", name))
		case g != sum:
			errs = append(errs, fmt.Errorf("%s: SHA-256 %s, manifest says %s", name, g, sum))
		}
	}
	for name := range got {
		if _, ok := m.Files[name]; !ok {
			errs = append(errs, fmt.Errorf("%s: not in the manifest", name))
		}
	}
	return errors.Join(errs...)
}
