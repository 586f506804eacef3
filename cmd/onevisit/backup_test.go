package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String() + errOut.String(), err
}

func countCases(t *testing.T, dbPath string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM cases").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestABackupTakenWhileServingRestoresIntact: back up a running demo,
// restore into a fresh folder, and find every case and an intact audit chain.
func TestABackupTakenWhileServingRestoresIntact(t *testing.T) {
	dir := t.TempDir()
	startDemo(t, dir, nil)
	if err := os.MkdirAll(filepath.Join(dir, "imports"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "imports", "upstream.json"), []byte(`{"items":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "onevisit.tar.gz")
	if out, err := runCmd(t, "backup", "--to", archive, "--data", dir); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	want := countCases(t, filepath.Join(dir, dbFile))
	restored := filepath.Join(t.TempDir(), "restored")
	if out, err := runCmd(t, "restore", archive, "--data", restored); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if got := countCases(t, filepath.Join(restored, dbFile)); got != want || want == 0 {
		t.Errorf("restored %d cases, the server has %d", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(restored, "imports", "upstream.json")); err != nil || string(b) != `{"items":[]}` {
		t.Errorf("imports/upstream.json: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(restored, "keys")); err != nil {
		t.Errorf("the licence keys were not restored: %v", err)
	}
	if out, err := runCmd(t, "audit", "verify", "--data", restored); err != nil || !strings.Contains(out, "intact") {
		t.Errorf("audit verify on the restored folder: %v\n%s", err, out)
	}
	if _, err := runCmd(t, "restore", archive, "--data", restored); err == nil {
		t.Error("restore into a non-empty folder without --force succeeded")
	}
	if out, err := runCmd(t, "restore", archive, "--data", restored, "--force"); err != nil {
		t.Errorf("restore --force: %v\n%s", err, out)
	}
}

// TestRestoreRefusesATamperedArchive changes one byte of one file.
func TestRestoreRefusesATamperedArchive(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "note.txt"), []byte("original"), 0o600); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := writeArchive(archive, data, ""); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(t.TempDir(), "t.tar.gz")
	rewrite(t, archive, tampered, func(name string, b []byte) []byte {
		if name == "note.txt" {
			return []byte("0riginal")
		}
		return b
	})
	out, err := runCmd(t, "restore", tampered, "--data", filepath.Join(t.TempDir(), "r"))
	if err == nil || !strings.Contains(out+err.Error(), "note.txt") {
		t.Errorf("a tampered archive: %v %s", err, out)
	}
	escape := filepath.Join(t.TempDir(), "e.tar.gz")
	rewrite(t, archive, escape, func(name string, b []byte) []byte { return b }, "../escape.txt")
	if _, err := runCmd(t, "restore", escape, "--data", filepath.Join(t.TempDir(), "r")); err == nil {
		t.Error("an entry outside the data folder was accepted")
	}
}

// rewrite copies a tar.gz, passing each file through edit and adding
// extra empty entries.
func rewrite(t *testing.T, src, dst string, edit func(string, []byte) []byte, extra ...string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, _ := gzip.NewReader(f)
	tr := tar.NewReader(gz)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range extra {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: 0})
	}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		b, _ := io.ReadAll(tr)
		b = edit(hdr.Name, b)
		hdr.Size = int64(len(b))
		_ = tw.WriteHeader(hdr)
		_, _ = tw.Write(b)
	}
	_ = tw.Close()
	_ = zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
