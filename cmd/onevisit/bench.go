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
	names := fs.String("scenarios", "accept,lifecycle,open,progress,search", "comma-separated: accept, lifecycle, open, progress, search, tickets, stats")
	statsClients := fs.Int("stats-clients", 4, "concurrent dashboard users in the stats scenarios (leaders, not the public)")
	password := fs.String("password", getenv("ONEVISIT_DEMO_PASSWORD"), "password of the demo accounts clerk, approver, issuer (and admin, for the hall's calling-device token)")
	screens := fs.Int("screens", 0, "also measure hall-screen event delivery to this many SSE connections (0: skip)")
	callRate := fs.Float64("call-rate", 5, "calls per second while measuring the screens")
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
	hall := bench.NewHall("main", *password)
	all := map[string]bench.Scenario{"tickets": hall.TicketsScenario(), "accept": bench.AcceptScenario(), "lifecycle": bench.LifecycleScenario(),
		"open": bench.OpenCaseScenario(), "progress": bench.ProgressScenario(), "search": bench.GuideSearchScenario()}
	for _, n := range strings.Split(*names, ",") {
		if strings.TrimSpace(n) == "stats" {
			if err := runStats(ctx, c, bench.NewStats(*password), *statsClients, *d, noop, &results, stderr); err != nil {
				return err
			}
			continue
		}
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
	rows := make([]any, 0, len(results)+1)
	for _, r := range results {
		rows = append(rows, r)
	}
	var sse *bench.SSEReport
	if *screens > 0 {
		if sse, err = runScreens(ctx, c, hall, *screens, *callRate, *d, stderr); err != nil {
			return err
		}
		results, rows = append(results, sse.Result), append(rows, sse)
	}
	fmt.Fprint(stdout, bench.Table(results))
	if sse != nil {
		fmt.Fprintln(stdout, sse.Summary())
	}
	for _, r := range results {
		if r.FirstErr != "" {
			fmt.Fprintf(stdout, "first error in %s: %s\n", r.Scenario, r.FirstErr)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(rows, "", "  ")
		return os.WriteFile(*jsonOut, b, 0o644)
	}
	return nil
}

// runScreens holds n hall-screen connections open while calls are made at
// rate per second for d, and measures how late each screen gets each call.
func runScreens(ctx context.Context, c *bench.Client, hall *bench.Hall, n int, rate float64, d time.Duration, stderr io.Writer) (*bench.SSEReport, error) {
	if _, err := bench.RaiseFileLimit(uint64(n) + 256); err != nil {
		return nil, err
	}
	o, err := hall.SSE(ctx, c, n, rate, d)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "measuring delivery to %d screens, %.0f calls/s for %s…\n", n, rate, d)
	r, err := bench.MeasureSSE(ctx, c, o)
	return &r, err
}

// runStats runs the dashboard scenarios with n users each, watching the
// server's resident memory, and appends their results (against the no-op
// ceiling) to results.
func runStats(ctx context.Context, c *bench.Client, st *bench.Stats, n int, d time.Duration, noop bench.Result,
	results *[]bench.Result, stderr io.Writer) error {
	for _, s := range st.Scenarios() {
		fmt.Fprintf(stderr, "running %s for %s…\n", s.Name, d)
		stop := bench.RSSPeak(ctx, c, 200*time.Millisecond)
		r, err := bench.Run(ctx, c, s, n, d)
		r.PeakRSS = stop()
		if err != nil {
			return err
		}
		r.Ceiling, r.Ratio = noop.Scenario, r.PerSec/max(noop.PerSec, 1)
		*results = append(*results, r)
	}
	return nil
}
