package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// fastPolicy keeps argon2 cheap in tests; the parameters are data, the code
// path is the same.
var fastPolicy = func() identity.Policy {
	p := identity.DefaultPolicy
	p.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	return p
}()

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func setup(t *testing.T, db *sqlstore.DB) (*identity.Service, *clock, identity.Department) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	db.SetClock(c.now)
	ids := identity.NewService(db.Identity(), fastPolicy, c.now)
	ctx := context.Background()
	d, err := ids.CreateDepartment(ctx, nil, identity.Department{Code: "MARKET", Name: "市场监管局", USCC: "91512081MA62K0260E", RegionCode: "330206"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ids.Bootstrap(ctx, identity.NewUser{Username: "admin", DisplayName: "管理员", Password: "Strong-pass-2026",
		Kind: identity.Staff, Roles: []identity.Role{identity.Admin}, DepartmentID: d.ID}); err != nil {
		t.Fatal(err)
	}
	return ids, c, d
}

func TestLoginLocksAfterFiveFailuresAndUnlocksLater(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, c, _ := setup(t, db)
		ctx := context.Background()
		for i := 1; i <= 5; i++ {
			_, _, _, err := ids.Login(ctx, "admin", "wrong", "web", "10.0.0.9")
			want := apperr.Unauthenticated
			if i == 5 {
				want = apperr.TooMany
			}
			if apperr.KindOf(err) != want {
				t.Fatalf("failure %d: got %v, want kind %v", i, err, want)
			}
		}
		if _, _, _, err := ids.Login(ctx, "admin", "Strong-pass-2026", "web", ""); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("right password while locked: got %v, want locked", err)
		}
		c.t = c.t.Add(16 * time.Minute)
		if _, _, _, err := ids.Login(ctx, "admin", "Strong-pass-2026", "web", ""); err != nil {
			t.Fatalf("after the lock expired: %v", err)
		}
		es, err := db.AuditEntries(ctx, "user", "admin", 20)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range es {
			actions[e.Action]++
		}
		if actions["login.failed"] != 4 || actions["login.locked"] != 1 || actions["login.refused"] != 1 || actions["login"] != 1 {
			t.Fatalf("audited logins: %v", actions)
		}
	})
}

func TestSessionsExpireWhenIdleAndAtTheAbsoluteLimit(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, c, _ := setup(t, db)
		ctx := context.Background()
		token, _, _, err := ids.Login(ctx, "admin", "Strong-pass-2026", "web", "")
		if err != nil {
			t.Fatal(err)
		}
		p, err := ids.Authenticate(ctx, token, "")
		if err != nil || p.Username != "admin" || !p.Can(identity.PermUsersManage) {
			t.Fatalf("fresh session: %+v, %v", p, err)
		}
		for i := 0; i < 30; i++ { // used every 25 minutes for 12.5 hours
			c.t = c.t.Add(25 * time.Minute)
			_, err = ids.Authenticate(ctx, token, "")
			if err != nil {
				break
			}
		}
		if !apperr.Is(err, apperr.Unauthenticated) || c.t.Sub(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)) < 12*time.Hour {
			t.Fatalf("absolute limit: session still valid at %v (err %v)", c.t, err)
		}
		token, _, _, _ = ids.Login(ctx, "admin", "Strong-pass-2026", "api", "")
		c.t = c.t.Add(31 * time.Minute)
		if _, err := ids.Authenticate(ctx, token, ""); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("idle 31 minutes: %v", err)
		}
	})
}

func TestAPITokensAreScopedAndRevocable(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, _, d := setup(t, db)
		ctx := context.Background()
		admin, _ := loginPrincipal(t, ids, "admin", "Strong-pass-2026")
		secret, tok, err := ids.CreateAPIToken(ctx, admin, identity.NewAPIToken{Name: "市场监管局审批系统", DepartmentID: d.ID,
			Permissions: []identity.Permission{identity.PermValidate}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := ids.Authenticate(ctx, secret, "10.1.1.1")
		if err != nil || !p.Can(identity.PermValidate) || p.Can(identity.PermUsersManage) || p.DepartmentID != d.ID {
			t.Fatalf("token principal %+v, err %v", p, err)
		}
		ts, _ := ids.APITokens(ctx, admin)
		if len(ts) != 1 || ts[0].Hash == secret || ts[0].Prefix != secret[:10] {
			t.Fatalf("stored token: %+v", ts)
		}
		if err := ids.RevokeAPIToken(ctx, admin, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := ids.Authenticate(ctx, secret, ""); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("revoked token still works: %v", err)
		}
		if err := ids.RevokeAPIToken(ctx, admin, tok.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("second revoke: %v", err)
		}
	})
}

func loginPrincipal(t *testing.T, ids *identity.Service, user, pass string) (*identity.Principal, string) {
	t.Helper()
	token, _, _, err := ids.Login(context.Background(), user, pass, "api", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ids.Authenticate(context.Background(), token, "")
	if err != nil {
		t.Fatal(err)
	}
	return p, token
}

func TestBadInputIsRefusedWithFieldErrorsAndChangesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, _, d := setup(t, db)
		ctx := context.Background()
		admin, _ := loginPrincipal(t, ids, "admin", "Strong-pass-2026")
		before, _ := ids.Users(ctx, admin)
		cases := []struct {
			name  string
			in    identity.NewUser
			field string
		}{
			{"a citizen with a wrong ID check digit", identity.NewUser{Username: "zhang", DisplayName: "张三", Password: "longenough", Kind: identity.Person, IDNumber: "110105194912310021"}, "idNumber"},
			{"a company with a wrong USCC", identity.NewUser{Username: "acme", DisplayName: "公司", Password: "longenough", Kind: identity.Legal, USCC: "91350100M000100Y4Z"}, "uscc"},
			{"staff with a weak password", identity.NewUser{Username: "clerk2", DisplayName: "王", Password: "password", Kind: identity.Staff, DepartmentID: d.ID}, "password"},
			{"staff without a department", identity.NewUser{Username: "clerk3", DisplayName: "王", Password: "Xy-1234567890", Kind: identity.Staff}, "departmentId"},
			{"an unknown role", identity.NewUser{Username: "x1", DisplayName: "x", Password: "Xy-1234567890", Kind: identity.Staff, DepartmentID: d.ID, Roles: []identity.Role{"root"}}, "roles"},
			{"a taken username", identity.NewUser{Username: "admin", DisplayName: "x", Password: "Xy-1234567890", Kind: identity.Staff, DepartmentID: d.ID}, "username"},
		}
		for _, tc := range cases {
			_, err := ids.CreateUser(ctx, admin, tc.in)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Kind != apperr.Invalid || e.Fields[tc.field] == "" {
				t.Errorf("%s: got %v, want an invalid %s", tc.name, err, tc.field)
			}
		}
		after, _ := ids.Users(ctx, admin)
		if len(after) != len(before) {
			t.Fatalf("bad input created users: %d → %d", len(before), len(after))
		}
		clerk, err := ids.CreateUser(ctx, admin, identity.NewUser{Username: "clerk", DisplayName: "王敏", Password: "Window-pass-2026",
			Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}, DepartmentID: d.ID})
		if err != nil {
			t.Fatal(err)
		}
		cp, _ := loginPrincipal(t, ids, "clerk", "Window-pass-2026")
		if _, err := ids.CreateUser(ctx, cp, identity.NewUser{Username: "sneaky"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a clerk creating users: %v", err)
		}
		_ = clerk
	})
}

func TestStaffReadsOfPersonalDataAreAudited(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, _, d := setup(t, db)
		ctx := context.Background()
		admin, _ := loginPrincipal(t, ids, "admin", "Strong-pass-2026")
		citizen, err := ids.CreateUser(ctx, admin, identity.NewUser{Username: "zhang", DisplayName: "张三", Password: "Zhang-pass-1",
			Kind: identity.Person, Roles: []identity.Role{identity.Applicant}, IDNumber: "11010519491231002x"})
		if err != nil {
			t.Fatal(err)
		}
		if citizen.IDNumber != "11010519491231002X" {
			t.Fatalf("ID number not normalised: %q", citizen.IDNumber)
		}
		ids.CreateUser(ctx, admin, identity.NewUser{Username: "clerk", DisplayName: "王敏", Password: "Window-pass-2026",
			Kind: identity.Staff, Roles: []identity.Role{identity.Clerk}, DepartmentID: d.ID})
		clerk, _ := loginPrincipal(t, ids, "clerk", "Window-pass-2026")
		pd, err := ids.Personal(ctx, clerk, citizen.ID, "窗口受理核验身份")
		if err != nil || pd.IDNumber != "11010519491231002X" {
			t.Fatalf("clerk read: %+v %v", pd, err)
		}
		self, _ := loginPrincipal(t, ids, "zhang", "Zhang-pass-1")
		if _, err := ids.Personal(ctx, self, citizen.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := ids.Personal(ctx, admin, citizen.ID, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("an admin without personal.read: %v", err)
		}
		es, _ := db.AuditEntries(ctx, "user", "2", 10)
		reads := 0
		for _, e := range es {
			if e.Action == "personal.read" {
				reads++
				if e.Actor != "clerk" || e.Detail != "窗口受理核验身份" {
					t.Errorf("audit entry %+v", e)
				}
			}
		}
		if reads != 1 {
			t.Fatalf("%d personal.read entries, want 1 (the clerk's; the applicant's own read is not audited)", reads)
		}
	})
}

func TestAuditVerifyDetectsEditedAndDeletedRows(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ids, _, _ := setup(t, db)
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			ids.Login(ctx, "admin", "wrong", "web", "")
		}
		n, err := db.VerifyAudit(ctx)
		if err != nil || n < 5 {
			t.Fatalf("untouched log: %d entries, %v", n, err)
		}
		exec := func(q string) {
			if err := db.Update(ctx, func(tx *sqlstore.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3`)
		_, err = db.VerifyAudit(ctx)
		var b *audit.Break
		if !errors.As(err, &b) || b.Seq != 3 {
			t.Fatalf("edited row 3: got %v", err)
		}
		exec(`DELETE FROM audit_log WHERE seq = 3`)
		if _, err = db.VerifyAudit(ctx); !errors.As(err, &b) || b.Seq != 3 {
			t.Fatalf("deleted row 3: got %v", err)
		}
	})
}

func TestConcurrentAuditedWritesKeepOneChain(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		errc := make(chan error, 40)
		for i := 0; i < 40; i++ {
			go func() { errc <- db.Audit(ctx, audit.New(audit.System, "test.concurrent", "x", "1")) }()
		}
		for i := 0; i < 40; i++ {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 40 {
			t.Fatalf("chain after concurrent writes: %d entries, %v", n, err)
		}
	})
}
