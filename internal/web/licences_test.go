package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/demo"
	"onevisit/internal/document"
	"onevisit/internal/i18n"
	"onevisit/internal/licences"
	"onevisit/internal/uploads"
	"onevisit/internal/web"
)

// newLicenceSite is the site with the demo catalog, licence types and the
// registry wired into applications; the demo company holds a business
// licence.
func newLicenceSite(t *testing.T) string {
	t.Helper()
	font, err := document.FindFont()
	if err != nil {
		t.Skip(err)
	}
	docs, err := document.New(font)
	if err != nil {
		t.Fatal(err)
	}
	base := newDemoBase(t, true)
	ctx, db, ids, cat := base.ctx, base.db, base.ids, base.cat
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := uploads.New(t.TempDir(), 1<<20)
	keys, err := licences.OpenKeyRing(filepath.Join(t.TempDir(), "keys"), "测试中心", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cs := cases.NewService(db.Cases(), cat, cal, demo.Region, time.Now)
	lic := licences.NewService(licences.Config{Store: db.Licences(), Cases: cs, Departments: ids, Documents: docs,
		Keys: keys, BaseURL: "https://zwfw.example.gov.cn", Now: time.Now})
	cs.SetRegistry(lic, cat)
	if err := demo.SeedLicences(ctx, lic, cs, cat); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Catalog: cat,
		Cases: cs, Licences: lic, Documents: docs, Uploads: files, Center: "测试中心", Messages: i18n.MustLoad(), DB: db, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

var identifierRe = regexp.MustCompile(`data-testid="identifier">([^<]+)<`)

func TestALicenceIsIssuedVerifiedAndRevokedAndTheRegistryWaivesAMaterial(t *testing.T) {
	base := newLicenceSite(t)
	uscc, _ := demo.OrgUSCC("91", demo.Region, "MA2CX0Y1")
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	f := acceptForm("accept", "M020", "M006", "M005", "M021", "M022") // no business licence brought
	f.Set("kind", "legal")
	f.Set("name", "宁波北仑示范贸易有限公司")
	f.Set("uscc", uscc)
	f.Set("legalRep", "张三")
	_, body := clerk.post("/accept?item="+foodItem, "/accept", f)
	m := caseNoRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `data-testid="waived"`) || !strings.Contains(body, `data-testid="registry-link"`) {
		t.Fatalf("the registry did not provide the business licence:\n%.1500s", body)
	}
	no := m[1]
	approver := newBrowser(t, base)
	approver.login("approver")
	approver.post("/cases/"+no, "/cases/"+no+"/act", url.Values{"action": {"approve"}, "reason": {"符合条件"}})
	issuer := newBrowser(t, base)
	issuer.login("issuer")
	_, body = issuer.post("/cases/"+no+"/licences", "/cases/"+no+"/licences", url.Values{"type": {"11100000MB0341032Y002"}})
	m = identifierRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no licence issued:\n%.1500s", body)
	}
	id := m[1]
	anon := newBrowser(t, base)
	if _, page := anon.get("/verify/" + id); !strings.Contains(page, "有效") || strings.Contains(page, uscc) {
		t.Errorf("verification page: not valid, or the holder code unmasked:\n%.1200s", page)
	}
	_, pdf := issuer.get("/licences/" + id + "/pdf")
	if got := upload(t, anon, id, []byte(pdf)); !strings.Contains(got, "核验通过") {
		t.Errorf("the genuine file was not accepted:\n%.600s", got)
	}
	bad := []byte(pdf)
	bad[len(bad)/3] ^= 1
	if got := upload(t, anon, id, bad); !strings.Contains(got, "核验未通过") {
		t.Errorf("a tampered file was accepted")
	}
	issuer.post("/cases/"+no+"/licences", "/licences/"+id+"/revoke", url.Values{"reason": {"申请人申请注销"}})
	if _, page := anon.get("/verify/" + id); !strings.Contains(page, "已注销") || !strings.Contains(page, "申请人申请注销") {
		t.Errorf("after revocation the page does not say revoked:\n%.1200s", page)
	}
}

// upload posts a file to the verification page's check form.
func upload(t *testing.T, b *browser, id string, pdf []byte) string {
	t.Helper()
	_, page := b.get("/verify/" + id)
	token := csrfRe.FindStringSubmatch(page)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf", token[1])
	fw, _ := w.CreateFormFile("file", "licence.pdf")
	_, _ = fw.Write(pdf)
	_ = w.Close()
	resp, err := b.c.Post(b.base+"/verify/"+id, w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}
