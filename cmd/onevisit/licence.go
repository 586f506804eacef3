package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/config"
	"onevisit/internal/document"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
	"onevisit/internal/sqlstore"
)

// newLicences opens the signing keys in <data>/keys (creating them on first
// start) and returns the licence service; the cases service then takes
// materials from the registry. Without a CJK font licences verify but are
// not issued.
func newLicences(c config.Config, db *sqlstore.DB, cs *cases.Service, cat *catalog.Service, ids *identity.Service,
	docs *document.Renderer, log *slog.Logger) (*licences.Service, error) {
	keys, err := licences.OpenKeyRing(filepath.Join(c.Data, "keys"), c.Center, time.Now())
	if err != nil {
		return nil, err
	}
	cfg := licences.Config{Store: db.Licences(), Cases: cs, Departments: ids, Keys: keys, BaseURL: c.URL(), Now: time.Now}
	if docs != nil {
		cfg.Documents = docs
	} else {
		log.Warn("e-licences will not be issued: no CJK font")
	}
	lic := licences.NewService(cfg)
	if cs != nil {
		cs.SetRegistry(lic, cat)
	}
	return lic, nil
}

// runLicence is `onevisit licence verify FILE` and `onevisit licence rotate-keys`.
func runLicence(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rotate-keys") {
		fmt.Fprintln(stderr, "usage: onevisit licence verify [--data DIR | --db URL] FILE.pdf\n       onevisit licence rotate-keys [--data DIR]")
		return &exitError{code: 2, err: errors.New("want `licence verify FILE` or `licence rotate-keys`")}
	}
	c, fs, err := loadConfig("licence "+args[0], args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	if args[0] == "rotate-keys" {
		return rotateKeys(c, stdout)
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, err: errors.New("licence verify needs one FILE")}
	}
	return verifyLicence(ctx, c, fs.Arg(0), stdout, stderr)
}

func rotateKeys(c config.Config, stdout io.Writer) error {
	dir := filepath.Join(c.Data, "keys")
	keys, err := licences.OpenKeyRing(dir, c.Center, time.Now())
	if err != nil {
		return err
	}
	if err := keys.Rotate(c.Center, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "new signing and seal keys in %s; seal %s; older certificates kept for verification\n", dir, keys.SealID())
	return nil
}

// verifyLicence checks FILE against the registry and its SM2 seal
// signature. Exit 0: genuine and valid; 1: not genuine; 3: genuine but
// revoked, expired or superseded.
func verifyLicence(ctx context.Context, c config.Config, file string, stdout, stderr io.Writer) error {
	pdf, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	lic, err := newLicences(c, db, nil, nil, nil, nil, newLogger(c, io.Discard))
	if err != nil {
		return err
	}
	check, err := lic.Verify(ctx, "", pdf)
	if err != nil {
		return err
	}
	l := check.Licence
	if !check.Genuine {
		if check.Found {
			fmt.Fprintf(stdout, "NOT GENUINE: %s claims to be %s (%s, %s) but differs from the file issued\n", file, l.Identifier, l.TypeName, l.IssuerName)
		} else {
			fmt.Fprintf(stdout, "NOT GENUINE: %s matches no licence in the registry\n", file)
		}
		return &exitError{code: 1, err: errors.New("licence file is not genuine")}
	}
	st := l.StatusOn(calendar.DateOf(time.Now()))
	fmt.Fprintf(stdout, "genuine: %s\n  %s, issued by %s on %s to %s\n  SM2 seal signature (SM2-with-SM3, %s) verifies over SM3 %s\n  status: %s\n",
		l.Identifier, l.TypeName, l.IssuerName, l.IssueDate, l.MaskedName(), licences.OIDSM2WithSM3, l.SM3, st)
	if st != licences.Valid {
		return &exitError{code: 3, err: fmt.Errorf("licence is %s %s", st, l.StatusReason)}
	}
	return nil
}
