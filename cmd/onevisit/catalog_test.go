package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
	"onevisit/internal/demo"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
)

// seedCatalogDir creates a SQLite database in a new folder with the demo
// departments and catalog, and returns the folder.
func seedCatalogDir(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	if _, err := demo.Seed(ctx, identity.NewService(db.Identity(), policy, db.Now), demoPW, false); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedCatalog(ctx, catalog.NewService(db.Catalog(), db.Now), demo.System, demo.Catalog()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runCLI runs onevisit with args and returns its output and error.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestCatalogExportThenImportOfTheDemoReportsNoChange(t *testing.T) {
	dir := seedCatalogDir(t)
	for _, format := range []string{"json", "xlsx"} {
		file := filepath.Join(dir, "catalog."+format)
		if _, stderr, err := runCLI(t, "catalog", "export", "--data", dir, "--format", format, "--out", file); err != nil {
			t.Fatalf("export %s: %v\n%s", format, err, stderr)
		}
		out, stderr, err := runCLI(t, "catalog", "import", file, "--dry-run", "--data", dir)
		if err != nil {
			t.Fatalf("import %s: %v\n%s", format, err, stderr)
		}
		if !strings.Contains(out, "items: added 0, changed 0, removed 0, unchanged 54") {
			t.Errorf("import %s printed:\n%s", format, out)
		}
	}
}

func TestCatalogImportPrintsJSONAndAppliesEdits(t *testing.T) {
	dir := seedCatalogDir(t)
	stdout, _, err := runCLI(t, "catalog", "export", "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	var snap catalog.Snapshot
	if err := json.Unmarshal([]byte(stdout), &snap); err != nil {
		t.Fatalf("export to stdout is not a snapshot: %v", err)
	}
	snap.Items[0].Flow += "（修订）"
	snap.Items = snap.Items[:len(snap.Items)-1] // 330206-CENTER-GG-0001
	file := filepath.Join(dir, "edited.json")
	b, _ := json.Marshal(snap)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCLI(t, "catalog", "import", "--data", dir, "--json", "--confirm-removals", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	var r catalogsync.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if r.Added != 0 || r.Changed != 1 || r.Removed != 1 || len(r.Withdrawn) != 1 || len(r.Published) != 1 {
		t.Errorf("report %+v, want 1 changed and published, 1 removed and withdrawn", r)
	}
}

func TestCatalogImportOfAMalformedFileFailsWithOneErrorPerLine(t *testing.T) {
	dir := seedCatalogDir(t)
	file := filepath.Join(dir, "bad.json")
	var snap catalog.Snapshot
	stdout, _, _ := runCLI(t, "catalog", "export", "--data", dir)
	_ = json.Unmarshal([]byte(stdout), &snap)
	snap.Items[2].PromisedLimit = 99
	snap.Items[4].Name = " "
	b, _ := json.MarshalIndent(snap, "", "  ")
	_ = os.WriteFile(file, b, 0o600)
	_, stderr, err := runCLI(t, "catalog", "import", file, "--data", dir)
	var ee *exitError
	if !errors.As(err, &ee) || exitCode(err) != 1 {
		t.Fatalf("err = %v, want exit code 1", err)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "items[2].promisedLimit: The promised time limit cannot exceed the statutory one") ||
		!strings.HasPrefix(lines[0], "line ") || !strings.Contains(lines[1], "items[4].name") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestCatalogWithoutSubcommandIsAUsageError(t *testing.T) {
	_, stderr, err := runCLI(t, "catalog")
	if exitCode(err) != 2 || !strings.Contains(stderr, "usage: onevisit catalog export") {
		t.Errorf("err %v, stderr %q", err, stderr)
	}
}

func TestCatalogReportShowsWhereLongValuesDiffer(t *testing.T) {
	old := strings.Repeat("办理流程", 20) + "。"
	skip := commonPrefix(old, old+"（修订）") - 10
	if got := shorten(old+"（修订）", skip); got != "…程办理流程办理流程。（修订）" {
		t.Errorf("shorten = %q", got)
	}
	if got := shorten("", 0); got != `""` {
		t.Errorf("shorten of nothing = %q", got)
	}
}
