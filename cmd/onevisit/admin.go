package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
)

func runUser(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: onevisit user add --username NAME --name DISPLAY --role ROLE[,ROLE] [--department CODE] [--kind staff|person|legal]")
		return &exitError{code: 2, err: errors.New("want `user add`")}
	}
	var username, name, roles, dept, kind, idNumber, uscc string
	c, _, err := loadConfig("user add", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "login name")
		fs.StringVar(&name, "name", "", "display name")
		fs.StringVar(&roles, "role", "", "roles, comma-separated: "+joinRoles())
		fs.StringVar(&dept, "department", "", "department code (staff)")
		fs.StringVar(&kind, "kind", "staff", "staff, person or legal")
		fs.StringVar(&idNumber, "id-number", "", "ID card number (person)")
		fs.StringVar(&uscc, "uscc", "", "unified social credit code (legal)")
	})
	if err != nil {
		return err
	}
	a, err := newApp(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer a.db.Close()
	password := getenv("ONEVISIT_USER_PASSWORD")
	if password == "" {
		fmt.Fprint(stderr, "password: ")
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
	}
	in := identity.NewUser{Username: username, DisplayName: name, Password: password, Kind: identity.Kind(kind),
		IDNumber: idNumber, USCC: uscc}
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			in.Roles = append(in.Roles, identity.Role(r))
		}
	}
	if dept != "" {
		if in.DepartmentID, err = departmentID(ctx, a.ids, dept); err != nil {
			return err
		}
	}
	u, err := a.ids.Bootstrap(ctx, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created user %s (id %d)\n", u.Username, u.ID)
	return nil
}

func joinRoles() string {
	s := make([]string, len(identity.Roles))
	for i, r := range identity.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func departmentID(ctx context.Context, ids *identity.Service, code string) (int64, error) {
	ds, err := ids.Departments(ctx)
	if err != nil {
		return 0, err
	}
	for _, d := range ds {
		if d.Code == code {
			return d.ID, nil
		}
	}
	return 0, fmt.Errorf("no department with code %q", code)
}

// describe turns a domain error into a message for the terminal.
func describe(err error) error {
	msgs, lerr := i18n.Load()
	if lerr != nil {
		return err
	}
	loc := msgs.Error(i18n.EN, err)
	var b strings.Builder
	b.WriteString(loc.Message)
	for f, m := range loc.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f, m)
	}
	if apperr.KindOf(err) == apperr.Internal {
		return err
	}
	return errors.New(b.String())
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: onevisit audit verify [--data DIR | --db URL]")
		return &exitError{code: 2, err: errors.New("want `audit verify`")}
	}
	c, _, err := loadConfig("audit verify", args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		return &exitError{code: 3, err: fmt.Errorf("audit log is NOT intact after %d good entries: %w", n, err)}
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries verified in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
