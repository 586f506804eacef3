package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// `onevisit bench` drives every scenario against the running demo without
// an error, and reports the ceilings and each scenario's ratio to one.
func TestBenchRunsEveryScenarioAgainstTheDemo(t *testing.T) {
	bin := onevisitBinary(t)
	srv := startServer(t, bin, []string{"demo", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo-password", demoPassword,
		"--demo-light", "--demo-cases", "60", "--rate-public", "0", "--rate-login", "0", "--rate-tickets", "0", "--log-level", "warn"})
	out := filepath.Join(t.TempDir(), "bench.json")
	cmd := exec.Command(bin, "bench", "--url", srv.base, "--password", demoPassword, "--duration", "1s", "--clients", "8",
		"--scenarios", "accept,lifecycle,open,progress,search,tickets", "--json", out)
	cmd.Env = hermeticEnv()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bench: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Scenario, Ceiling, FirstError string
		Ops, Errors                   int
		Ratio                         float64
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("bench JSON: %v\n%s", err, b)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Scenario] = true
		if r.Ops == 0 || r.Errors > 0 {
			t.Errorf("%s: %d ops, %d errors (%s)", r.Scenario, r.Ops, r.Errors, r.FirstError)
		}
		if r.Ceiling != "" && r.Ratio <= 0 {
			t.Errorf("%s: no ratio to %s", r.Scenario, r.Ceiling)
		}
	}
	for _, want := range []string{"ceiling: no-op HTTP", "ceiling: 1-row insert", "cases: window accept", "cases: full lifecycle",
		"cases: clerk opens case", "cases: progress query", "catalog: guide search", "hall: take+call+done"} {
		if !seen[want] {
			t.Errorf("no %q in the report", want)
		}
	}
}
