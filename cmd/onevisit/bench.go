package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"onevisit/internal/bench"
)

// runBench drives a running server (e.g. `onevisit demo`) with the load
// scenarios and prints their figures beside the machine's ceilings.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("onevisit bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "server to load")
	d := fs.Duration("duration", 10*time.Second, "how long each scenario runs")
	clients := fs.Int("clients", 64, "concurrent clients")
	names := fs.String("scenarios", "accept,lifecycle,progress,search", "comma-separated: accept, lifecycle, progress, search")
	password := fs.String("password", getenv("ONEVISIT_DEMO_PASSWORD"), "password of the demo accounts clerk, approver, issuer")
	dsn := fs.String("db", "", "database for the write ceiling: empty for SQLite, or the server's postgres://…")
	jsonOut := fs.String("json", "", "also write the results as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := bench.NewClient(*base, *clients)
	for _, u := range []string{"clerk", "approver", "issuer"} {
		if err := c.Login(ctx, u, *password); err != nil {
			return fmt.Errorf("%w (pass the demo password with --password or ONEVISIT_DEMO_PASSWORD)", err)
		}
	}
	ceil, err := bench.StartCeilings(ctx, *dsn)
	if err != nil {
		return err
	}
	defer ceil.Close()
	cc := bench.NewClient(ceil.URL, *clients)
	var results []bench.Result
	run := func(cl *bench.Client, s bench.Scenario) (bench.Result, error) {
		fmt.Fprintf(stderr, "running %s for %s…\n", s.Name, *d)
		r, err := bench.Run(ctx, cl, s, *clients, *d)
		results = append(results, r)
		return r, err
	}
	noop, err := run(cc, bench.NoopScenario())
	if err != nil {
		return err
	}
	insert, err := run(cc, bench.InsertScenario())
	if err != nil {
		return err
	}
	all := map[string]bench.Scenario{"accept": bench.AcceptScenario(), "lifecycle": bench.LifecycleScenario(),
		"progress": bench.ProgressScenario(), "search": bench.GuideSearchScenario()}
	for _, n := range strings.Split(*names, ",") {
		s, ok := all[strings.TrimSpace(n)]
		if !ok {
			return fmt.Errorf("unknown scenario %q", n)
		}
		r, err := run(c, s)
		if err != nil {
			return err
		}
		ref := insert
		if n == "progress" || n == "search" {
			ref = noop
		}
		results[len(results)-1].Ceiling, results[len(results)-1].Ratio = ref.Scenario, r.PerSec/max(ref.PerSec, 1)
	}
	fmt.Fprint(stdout, bench.Table(results))
	for _, r := range results {
		if r.FirstErr != "" {
			fmt.Fprintf(stdout, "first error in %s: %s\n", r.Scenario, r.FirstErr)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		return os.WriteFile(*jsonOut, b, 0o644)
	}
	return nil
}
