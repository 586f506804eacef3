package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"onevisit/internal/sqlstore/sqlstoretest"
)

// Anyone with the case number and the last six characters of the
// applicant's code sees the masked progress; staff who open the case see
// everything, and that read is in the audit log.
func TestProgressIsPublicAndMaskedWhileStaffReadsAreAudited(t *testing.T) {
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	s := wireAll(t, ctx, db)
	srv := httptest.NewServer(s.api.Handler())
	t.Cleanup(srv.Close)
	clerk := login(t, srv.URL, "clerk")
	_, list0 := call(t, "GET", srv.URL+"/api/v1/cases?status=in_review,approved,delivered", clerk, "", "")
	list, _ := list0["cases"].([]any)
	if len(list) == 0 {
		t.Fatalf("no demo cases: %v", list0)
	}
	no := list[0].(map[string]any)["no"].(string)
	c, err := db.Cases().Case(ctx, no)
	if err != nil {
		t.Fatal(err)
	}
	code := c.Applicant.Code()
	path := srv.URL + "/api/v1/progress/" + url.PathEscape(c.No) + "?code="
	status, v := call(t, "GET", path+code[len(code)-6:], "", "", "")
	if status != 200 || v["status"] != string(c.Status) || v["no"] != c.No {
		t.Fatalf("progress with the right code: %d %v", status, v)
	}
	if app, _ := v["applicant"].(string); !strings.Contains(app, "*") {
		t.Errorf("the applicant's name is not masked: %q", app)
	}
	if _, ok := v["idNumber"]; ok {
		t.Error("the progress answer carries an ID number")
	}
	if status, v := call(t, "GET", path+"000000", "", "", ""); status != 404 {
		t.Errorf("a wrong code: %d %v, want 404", status, v)
	}
	if status, v := call(t, "GET", path+"12", "", "zh-CN", ""); status != 422 || !strings.Contains(fmt.Sprint(v["error"]), "后六位") {
		t.Errorf("a short code: %d %v, want 422 with a message in Chinese", status, v)
	}

	before, _ := db.AuditEntries(ctx, "case", c.No, 100)
	if status, v := call(t, "GET", srv.URL+"/api/v1/cases/"+url.PathEscape(c.No), clerk, "", ""); status != 200 || v["applicant"] == nil {
		t.Fatalf("the clerk opens the case: %d %v", status, v)
	}
	after, _ := db.AuditEntries(ctx, "case", c.No, 100)
	if len(after) != len(before)+1 || after[0].Action != "personal.read" || after[0].Actor != "clerk" {
		t.Fatalf("the clerk's read is not audited: %d entries before, %d after (newest %+v)", len(before), len(after), after[0])
	}
}
