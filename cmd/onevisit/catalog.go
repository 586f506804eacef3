package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"onevisit/internal/catalogsync"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/notify"
)

const catalogUsage = `usage: onevisit catalog export [--format json|xlsx] [--out FILE]
       onevisit catalog import FILE [--dry-run] [--confirm-removals] [--format auto|json|xlsx] [--json]`

// runCatalog exchanges the catalog with the province (docs/catalog-format.md).
func runCatalog(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "export":
			return runCatalogExport(ctx, args[1:], getenv, stdout, stderr)
		case "import":
			return runCatalogImport(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, catalogUsage)
	return &exitError{code: 2, err: errors.New("want `catalog export` or `catalog import FILE`")}
}

// newCatalogSync wires the upstream sync of a: departments are notified in
// the app.
func newCatalogSync(a *app) *catalogsync.Service {
	return catalogsync.New(a.catalog, a.ids, notify.NewService(a.db, time.Now))
}

func runCatalogExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var format, out string
	c, _, err := loadConfig("catalog export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "json", "json or xlsx")
		fs.StringVar(&out, "out", "", "write to `FILE` instead of standard output")
	})
	if err != nil {
		return err
	}
	f, err := catalogsync.ParseFormat(format)
	if err != nil || f == catalogsync.Auto {
		return &exitError{code: 2, err: fmt.Errorf("--format %q: want json or xlsx", format)}
	}
	a, err := newApp(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer a.db.Close()
	if out == "" {
		return newCatalogSync(a).Export(ctx, stdout, f)
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := newCatalogSync(a).Export(ctx, file, f); err != nil {
		file.Close()
		os.Remove(out)
		return err
	}
	return file.Close()
}

// importFlags are the flags of `catalog import`.
type importFlags struct {
	opt    catalogsync.Options
	format string
	json   bool
}

func runCatalogImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var path string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") { // FILE may come before the flags
		path, args = args[0], args[1:]
	}
	var fl importFlags
	c, fs, err := loadConfig("catalog import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&fl.opt.DryRun, "dry-run", false, "compare only: change nothing")
		fs.BoolVar(&fl.opt.ConfirmRemovals, "confirm-removals", false, "withdraw the items missing from the file")
		fs.StringVar(&fl.format, "format", "auto", "auto, json or xlsx")
		fs.BoolVar(&fl.json, "json", false, "print the report as JSON")
	})
	if err != nil {
		return err
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	}
	if fl.opt.Format, err = catalogsync.ParseFormat(fl.format); err != nil || path == "" {
		fmt.Fprintln(stderr, catalogUsage)
		return &exitError{code: 2, err: errors.New("want `catalog import FILE` with --format auto, json or xlsx")}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer a.db.Close()
	r, err := newCatalogSync(a).Import(ctx, cliPrincipal(getenv), data, fl.opt)
	var bad *catalogsync.MalformedError
	if errors.As(err, &bad) {
		return printFileErrors(stdout, stderr, path, bad.Errors, fl.json)
	}
	if err != nil {
		return describe(err)
	}
	if fl.json {
		return writeIndentedJSON(stdout, r)
	}
	printReport(stdout, r)
	return nil
}

// cliPrincipal is who a console import acts as: a catalog administrator
// named after the operating-system user, for the audit log.
func cliPrincipal(getenv func(string) string) *identity.Principal {
	name := "cli"
	if u := getenv("USER"); u != "" {
		name += ":" + u
	}
	return &identity.Principal{Username: name, Name: name, Kind: identity.Staff, Roles: []identity.Role{identity.CatalogAdmin}}
}

// printFileErrors prints a rejected file's errors, one per line in
// English (or as JSON), and fails with exit code 1.
func printFileErrors(stdout, stderr io.Writer, path string, errs []catalogsync.FileError, asJSON bool) error {
	if msgs, err := i18n.Load(); err == nil {
		catalogsync.Localize(errs, func(key string, args ...any) string { return msgs.T(i18n.EN, key, args...) })
	}
	if asJSON {
		_ = writeIndentedJSON(stdout, map[string]any{"errors": errs})
	} else {
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
	}
	return &exitError{code: 1, err: fmt.Errorf("%s: %d errors; nothing was changed", path, len(errs))}
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printReport prints the report as a table: the counts, then one line per
// item that is not unchanged with its changed fields below it, then what
// was done.
func printReport(w io.Writer, r catalogsync.Report) {
	if r.DryRun {
		fmt.Fprintln(w, "Catalog import — dry run: nothing was changed")
	} else {
		fmt.Fprintln(w, "Catalog import")
	}
	fmt.Fprintf(w, "items: added %d, changed %d, removed %d, unchanged %d\n", r.Added, r.Changed, r.Removed, r.Unchanged)
	for _, l := range []struct {
		name string
		c    catalogsync.Counts
	}{{"materials", r.Materials}, {"proofs", r.Proofs}, {"bundles", r.Bundles}} {
		fmt.Fprintf(w, "%s: added %d, changed %d, unchanged %d\n", l.name, l.c.Added, l.c.Changed, l.c.Unchanged)
	}
	printItems(w, r.Items)
	printCodes(w, "published", r.Published)
	printCodes(w, "withdrawn", r.Withdrawn)
	printCodes(w, "removal pending (import again with --confirm-removals to withdraw)", r.PendingRemovals)
	printCodes(w, "departments notified", r.Notified)
}

func printItems(w io.Writer, items []catalogsync.ItemReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	header := false
	for _, ir := range items {
		if ir.Kind == catalogsync.Unchanged {
			continue
		}
		if !header {
			fmt.Fprintln(tw, "\nKIND\tCODE\tNAME")
			header = true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", ir.Kind, ir.Code, ir.Name)
		for _, c := range ir.Changes {
			skip := commonPrefix(c.Old, c.New) - 10
			fmt.Fprintf(tw, "\t  %s\t%s → %s\n", c.Field, shorten(c.Old, skip), shorten(c.New, skip))
		}
	}
	tw.Flush()
}

func printCodes(w io.Writer, what string, codes []string) {
	if len(codes) > 0 {
		fmt.Fprintf(w, "%s: %s\n", what, strings.Join(codes, ", "))
	}
}

// shorten keeps a changed value on one short line, leaving out its first
// skip characters (those it shares with the other value).
func shorten(s string, skip int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	prefix := ""
	if skip > 0 {
		r, prefix = r[skip:], "…"
	}
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	if s == "" {
		return `""`
	}
	return prefix + string(r)
}

// commonPrefix is how many leading characters a and b share, once white
// space is collapsed as shorten does.
func commonPrefix(a, b string) int {
	x, y := []rune(strings.Join(strings.Fields(a), " ")), []rune(strings.Join(strings.Fields(b), " "))
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	return n
}
