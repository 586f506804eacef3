// Command onevisit runs the onevisit one-window government service
// platform: `onevisit serve` runs everything; other subcommands are for
// operators. Run `onevisit help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "onevisit:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitError carries a specific exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the HTML UI, the JSON API and the background jobs", runServe},
		{"demo", "serve with a seeded demo service center (created in the data folder if absent)", runDemo},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"user", "manage accounts: `user add`", runUser},
		{"audit", "check the audit log: `audit verify`", runAudit},
		{"catalog", "exchange the service catalog: `catalog export`, `catalog import FILE`", runCatalog},
		{"licence", "e-licences: `licence verify FILE` (seal and registry), `licence rotate-keys`", runLicence},
		{"bench", "load a running server and report throughput and latency beside the machine's ceilings", runBench},
		{"jobs", "run the scheduled jobs once: `jobs run --at 2026-12-10T09:00:00+08:00`", runJobs},
		{"backup", "back up the database and the data folder while serving: `backup --to FILE.tar.gz`", runBackup},
		{"restore", "restore a backup into an empty data folder: `restore FILE.tar.gz --data DIR`", runRestore},
		{"version", "print the version", runVersion},
	}
}

// run is the whole program, with its environment passed in.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	usage(stderr)
	return &exitError{code: 2, err: fmt.Errorf("unknown command %q", args[0])}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "onevisit — 一次办: one-window government services (最多跑一次)")
	fmt.Fprintln(w, "\nUsage: onevisit <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `onevisit <command> --help` for a command's flags. Every flag can also be set")
	fmt.Fprintln(w, "with an ONEVISIT_* environment variable (e.g. --data → ONEVISIT_DATA) or in a JSON file (--config).")
}

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func runVersion(_ context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "onevisit", Version)
	return nil
}
