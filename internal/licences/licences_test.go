package licences_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/document"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
	"onevisit/internal/licences"
	"onevisit/internal/sqlstore/sqlstoretest"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, calendar.Shanghai)

// fakeCases holds one approved case and records the actions taken on it.
type fakeCases struct {
	c    cases.Case
	acts []cases.ActInput
}

func (f *fakeCases) Case(_ context.Context, _ *identity.Principal, no string) (cases.Case, error) {
	if no != f.c.No {
		return cases.Case{}, apperr.New(apperr.NotFound, "err.case_not_found")
	}
	return f.c, nil
}

func (f *fakeCases) Act(_ context.Context, _ *identity.Principal, _ string, in cases.ActInput) (cases.Case, error) {
	f.acts = append(f.acts, in)
	f.c.Status = cases.Issued
	return f.c, nil
}

type fakeDepts []identity.Department

func (d fakeDepts) Departments(context.Context) ([]identity.Department, error) { return d, nil }

var foodType = licences.Type{Code: "11100000MB0341032Y002", Name: "食品经营许可证", NameEn: "Food business licence",
	ValidYears: 5, Items: []string{"FOOD"}, Fields: []licences.Field{
		{Label: "经营者名称", Source: "holder.name"}, {Label: "统一社会信用代码", Source: "holder.code"},
		{Label: "法定代表人", Source: "holder.legalRep"}, {Label: "经营项目", Source: "form:scope"}}}

type fixture struct {
	svc   *licences.Service
	cases *fakeCases
	keys  *licences.KeyRing
	clock *time.Time
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	font, err := document.FindFont()
	if err != nil {
		t.Skip(err)
	}
	docs, err := document.New(font)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := licences.OpenKeyRing(filepath.Join(t.TempDir(), "keys"), "测试行政服务中心", now)
	if err != nil {
		t.Fatal(err)
	}
	db := sqlstoretest.SQLite(t)
	fc := &fakeCases{c: cases.Case{No: "330206-20261127-000001", ItemCode: "FOOD", ItemName: "食品经营许可",
		Department: "SJ", Status: cases.Approved, Form: map[string]string{"scope": "热食类食品制售"},
		Applicant: cases.Applicant{Kind: identity.Legal, Name: "宁波海天餐饮管理有限公司", USCC: "91330206MA2CX0Y1XB", LegalRep: "张三"}}}
	clock := now
	svc := licences.NewService(licences.Config{Store: db.Licences(), Cases: fc, Documents: docs, Keys: keys,
		Departments: fakeDepts{{Code: "SJ", Name: "宁波市北仑区市场监督管理局", USCC: "11330206002500287C"}},
		BaseURL:     "https://zwfw.example.gov.cn", Now: func() time.Time { return clock }})
	if err := svc.SaveType(context.Background(), nil, foodType); err != nil {
		t.Fatal(err)
	}
	return fixture{svc: svc, cases: fc, keys: keys, clock: &clock}
}

var issuer = &identity.Principal{UserID: 7, Name: "issuer", Kind: identity.Staff, Roles: []identity.Role{identity.Issuer}}

func TestIssueSignsSealsAndMovesTheCase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idcode.ValidateLicenceID(l.Identifier); err != nil {
		t.Errorf("identifier %s: %v", l.Identifier, err)
	}
	if !strings.HasPrefix(l.Identifier, "1.2.156.3005.2.11100000MB0341032Y002.11330206002500287C.2026000001.001.") {
		t.Errorf("identifier = %s", l.Identifier)
	}
	if l.ValidTo.String() != "2031-11-26" || l.Face[3].Value != "热食类食品制售" {
		t.Errorf("validTo %s, face %v", l.ValidTo, l.Face)
	}
	if len(f.cases.acts) != 1 || f.cases.acts[0].Action != cases.Issue {
		t.Errorf("case actions = %v", f.cases.acts)
	}
	again, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err == nil || again.Identifier != "" {
		t.Errorf("issuing an issued case: %v %v", again.Identifier, err)
	}
	if got := licences.ClaimedIdentifier(l.PDF); got != l.Identifier {
		t.Errorf("PDF claims %q", got)
	}
}

func TestPdfsigAcceptsTheLicenceAndRejectsATamperedCopy(t *testing.T) {
	if _, err := exec.LookPath("pdfsig"); err != nil {
		t.Skip("pdfsig not installed (poppler-utils)")
	}
	f := newFixture(t)
	l, err := f.svc.Issue(context.Background(), issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	if out := pdfsig(t, l.PDF); !strings.Contains(out, "Signature Validation: Signature is Valid.") {
		t.Errorf("pdfsig on the licence:\n%s", out)
	}
	if out := pdfsig(t, tamper(l.PDF)); !strings.Contains(out, "Digest Mismatch") {
		t.Errorf("pdfsig on a tampered copy:\n%s", out)
	}
}

// tamper changes one byte inside the signed content stream.
func tamper(pdf []byte) []byte {
	b := bytes.Clone(pdf)
	i := bytes.Index(b, []byte("stream\n")) + 20
	b[i] ^= 0x01
	return b
}

func pdfsig(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "l.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", path).CombinedOutput()
	return string(out)
}

func TestVerifyTellsGenuineFromAltered(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pdf     []byte
		genuine bool
		reason  string
	}{
		{"the issued file is genuine", l.PDF, true, "licence.check.genuine"},
		{"one changed byte is altered", tamper(l.PDF), false, "licence.check.altered"},
		{"another file is unknown", []byte("%PDF-1.4 nothing"), false, "licence.check.unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := f.svc.Verify(ctx, "", tt.pdf)
			if err != nil {
				t.Fatal(err)
			}
			if c.Genuine != tt.genuine || c.Reason != tt.reason {
				t.Errorf("got %v %s", c.Genuine, c.Reason)
			}
		})
	}
}

func TestSealStillVerifiesAfterKeyRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	old := f.keys.SealID()
	if err := f.keys.Rotate("测试行政服务中心", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if f.keys.SealID() == old {
		t.Fatal("rotation kept the old seal key")
	}
	if c, _ := f.svc.Verify(ctx, l.Identifier, l.PDF); !c.Genuine {
		t.Errorf("after rotation: %s", c.Reason)
	}
}

func TestLifecycleRevokeChangeExpire(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	if id, ok, _ := f.svc.Holds(ctx, "91330206MA2CX0Y1XB", "食品经营许可证"); !ok || id != l.Identifier {
		t.Errorf("Holds = %s %v", id, ok)
	}
	next, err := f.svc.Change(ctx, issuer, l.Identifier, licences.ChangeInput{Reason: "变更经营项目", Face: map[string]string{"经营项目": "预包装食品销售"}})
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != 2 || next.PrevIdentifier != l.Identifier || !strings.Contains(next.Identifier, ".2026000001.002.") {
		t.Errorf("next = %s v%d prev %s", next.Identifier, next.Version, next.PrevIdentifier)
	}
	prev, _ := f.svc.Licence(ctx, l.Identifier)
	if prev.Status != licences.Superseded || prev.NextIdentifier != next.Identifier {
		t.Errorf("previous: %s → %s", prev.Status, prev.NextIdentifier)
	}
	if _, err := f.svc.Revoke(ctx, issuer, l.Identifier, "x"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("revoking a superseded licence: %v", err)
	}
	r, err := f.svc.Revoke(ctx, issuer, next.Identifier, "申请人申请注销")
	if err != nil || r.Status != licences.Revoked || r.StatusReason != "申请人申请注销" {
		t.Fatalf("revoke: %v %s", err, r.Status)
	}
	if _, ok, _ := f.svc.Holds(ctx, "91330206MA2CX0Y1XB", "食品经营许可证"); ok {
		t.Error("a revoked licence is still held")
	}
}

func TestExpireDueRecordsExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l, err := f.svc.Issue(ctx, issuer, f.cases.c.No, licences.IssueInput{})
	if err != nil {
		t.Fatal(err)
	}
	*f.clock = now.AddDate(6, 0, 0)
	if n, err := f.svc.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireDue = %d, %v", n, err)
	}
	got, _ := f.svc.Licence(ctx, l.Identifier)
	if got.Status != licences.Expired {
		t.Errorf("status = %s", got.Status)
	}
}
