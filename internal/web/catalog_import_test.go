package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"onevisit/internal/catalog"
	"onevisit/internal/catalogsync"
	"onevisit/internal/i18n"
	"onevisit/internal/notify"
	"onevisit/internal/web"
)

// importSite is a site with the demo catalog, department notifications and
// a folder for uploaded catalog files.
type importSite struct {
	base    string
	catalog *catalog.Service
	imports string
}

func newImportSite(t *testing.T) importSite {
	t.Helper()
	base := newDemoBase(t, true)
	db, ids, cat := base.db, base.ids, base.cat
	dir := filepath.Join(t.TempDir(), "imports")
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Catalog: cat,
		Notify: notify.NewService(db, time.Now), ImportsDir: dir, Messages: i18n.MustLoad(), DB: db, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return importSite{base: srv.URL, catalog: cat, imports: dir}
}

// renamedCatalog is the site's catalog as JSON with one item renamed.
func (s importSite) renamedCatalog(t *testing.T, code, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalogsync.New(s.catalog, nil, nil).Export(context.Background(), &buf, catalogsync.JSON); err != nil {
		t.Fatal(err)
	}
	snap, err := catalogsync.Read(buf.Bytes(), catalogsync.JSON)
	if err != nil {
		t.Fatal(err)
	}
	for i := range snap.Items {
		if snap.Items[i].Code == code {
			snap.Items[i].Name = name
		}
	}
	buf.Reset()
	if err := catalogsync.Write(&buf, snap, catalogsync.JSON); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload submits the import form of /catalog/imports with file.
func (b *browser) upload(name string, file []byte) (int, string) {
	b.t.Helper()
	_, page := b.get("/catalog/imports")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if m := csrfRe.FindStringSubmatch(page); m != nil {
		_ = mw.WriteField("csrf", m[1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(file)
	mw.Close()
	resp, err := b.c.Post(b.base+"/catalog/imports", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

const (
	companyItem = "330206-MARKET-XK-0001"
	newName     = "公司设立登记（一网通办）"
)

var applyRe = regexp.MustCompile(`action="/catalog/imports/([0-9a-f]{64})/apply"`)

// reviewed uploads file and returns the review page and the stored file's sha.
func reviewed(t *testing.T, b *browser, file []byte) (string, string) {
	t.Helper()
	code, body := b.upload("catalog.json", file)
	m := applyRe.FindStringSubmatch(body)
	if code != 200 || m == nil {
		t.Fatalf("review: %d, apply form found: %v\n%.800s", code, m != nil, body)
	}
	return body, m[1]
}

func TestCatalogImportReviewsAppliesAndIsIdempotent(t *testing.T) {
	site := newImportSite(t)
	b := newBrowser(t, site.base)
	b.login("catalog")
	if _, body := b.get("/catalog"); !strings.Contains(body, `href="/catalog/imports"`) {
		t.Error("the catalog admin has no tab for imports")
	}
	file := site.renamedCatalog(t, companyItem, newName)

	body, sha := reviewed(t, b, file)
	for _, want := range []string{`data-testid="count-changed">1<`, `data-testid="count-added">0<`, `data-testid="count-removed">0<`,
		`data-testid="import-item-` + companyItem + `"`, `<td class="wrap old">公司设立登记</td>`, `<td class="wrap new">` + newName + `</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("review lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(site.imports, sha+".json")); err != nil {
		t.Errorf("the uploaded file is not kept for the apply step: %v", err)
	}
	if _, guide := b.get("/guides/" + companyItem); strings.Contains(guide, newName) {
		t.Fatal("the review (a dry run) changed the guide")
	}

	apply := "/catalog/imports/" + sha + "/apply"
	code, body := b.post("/catalog/imports", apply, url.Values{})
	if code != 200 || !strings.Contains(body, `data-testid="import-result"`) || !regexp.MustCompile(`data-testid="import-published">[^<]*<a href="/guides/`+companyItem+`">`+newName).MatchString(body) {
		t.Fatalf("apply: %d\n%.800s", code, body)
	}
	if !regexp.MustCompile(`data-testid="import-notified">[^<]*市场监管局`).MatchString(body) {
		t.Error("the result does not name the notified department 市场监管局")
	}
	if _, guide := b.get("/guides/" + companyItem); !strings.Contains(guide, newName) {
		t.Error("the public guide does not show the new name")
	}

	body, _ = reviewed(t, b, file)
	if !strings.Contains(body, `data-testid="count-changed">0<`) || !strings.Contains(body, `data-testid="import-same"`) {
		t.Error("uploading the applied file again does not review as 0 changes")
	}
	if _, body = b.post("/catalog/imports", apply, url.Values{}); !strings.Contains(body, `data-testid="import-published">无<`) {
		t.Error("applying the same file twice published something")
	}
}

func TestCatalogImportShowsWhereAMalformedFileIsWrong(t *testing.T) {
	site := newImportSite(t)
	b := newBrowser(t, site.base)
	b.login("catalog")
	bad := []byte("{\n  \"format\": \"onevisit-catalog\",\n  \"items\": [ , ]\n}\n")
	code, body := b.upload("bad.json", bad)
	if code != 422 || !strings.Contains(body, `data-testid="import-errors"`) || !regexp.MustCompile(`第 3 行第 \d+ 列`).MatchString(body) {
		t.Fatalf("malformed JSON: %d, want 422 with a line and column\n%.1200s", code, body)
	}
	if strings.Contains(body, `data-testid="import-review-form"`) {
		t.Error("a malformed file offers to apply it")
	}
	if entries, _ := os.ReadDir(site.imports); len(entries) != 0 {
		t.Errorf("a malformed file was kept: %d files", len(entries))
	}
	_, _ = b.post("/", "/prefs", url.Values{"lang": {"en"}, "back": {"/"}})
	if _, body = b.upload("bad.json", bad); !regexp.MustCompile(`line 3, column \d+`).MatchString(body) {
		t.Error("the error's place is not in English for an English reader")
	}
	if code, _ := b.post("/catalog/imports", "/catalog/imports/"+strings.Repeat("A", 64)+"/apply", url.Values{}); code != 404 {
		t.Errorf("apply with a malformed sha: %d, want 404", code)
	}
	if code, _ := b.post("/catalog/imports", "/catalog/imports/"+strings.Repeat("0", 64)+"/apply", url.Values{}); code != 404 {
		t.Errorf("apply of an unknown file: %d, want 404", code)
	}
}

func TestCatalogImportPlacesAWorkbooksErrorsBySheetRowAndColumn(t *testing.T) {
	site := newImportSite(t)
	b := newBrowser(t, site.base)
	b.login("catalog")
	var buf bytes.Buffer
	if err := catalogsync.New(site.catalog, nil, nil).Export(context.Background(), &buf, catalogsync.XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	header, _ := f.GetRows("事项")
	col := slices.Index(header[0], "法定时限（工作日）")
	cell, _ := excelize.CoordinatesToCellName(col+1, 3)
	if err := f.SetCellValue("事项", cell, "十天"); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	code, body := b.upload("catalog.xlsx", buf.Bytes())
	if code != 422 || !strings.Contains(body, "工作表“事项”第 3 行") || !strings.Contains(body, "<code>法定时限（工作日）</code>") {
		t.Errorf("a bad cell: %d, want 422 placed at sheet 事项 row 3\n%.1500s", code, body)
	}
}

func TestCatalogImportKeepsUploadsForADay(t *testing.T) {
	site := newImportSite(t)
	b := newBrowser(t, site.base)
	b.login("catalog")
	_, _ = reviewed(t, b, site.renamedCatalog(t, companyItem, newName))
	old := filepath.Join(site.imports, strings.Repeat("a", 64)+".xlsx")
	other := filepath.Join(site.imports, "notes.txt")
	for _, p := range []string{old, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-25 * time.Hour)
		_ = os.Chtimes(p, past, past)
	}
	_, _ = reviewed(t, b, site.renamedCatalog(t, companyItem, "又一个名称"))
	if _, err := os.Stat(old); err == nil {
		t.Error("a file older than a day was not deleted")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file the imports did not write was deleted")
	}
}

func TestCatalogImportIsForCatalogAdminsOnly(t *testing.T) {
	site := newImportSite(t)
	clerk := newBrowser(t, site.base)
	clerk.login("clerk")
	if code, _ := clerk.get("/catalog/imports"); code != 403 {
		t.Errorf("clerk GET /catalog/imports: %d, want 403", code)
	}
	if code, _ := clerk.upload("catalog.json", site.renamedCatalog(t, companyItem, newName)); code != 403 {
		t.Errorf("clerk upload: %d, want 403", code)
	}
}

var bellCountRe = regexp.MustCompile(`data-testid="bell-count">(\d+)<`)
var markReadRe = regexp.MustCompile(`action="(/notifications/\d+/read)"`)

func TestNotificationsReachTheDepartmentAndAreMarkedRead(t *testing.T) {
	site := newImportSite(t)
	editor := newBrowser(t, site.base)
	editor.login("catalog")
	_, sha := reviewed(t, editor, site.renamedCatalog(t, companyItem, newName))
	editor.post("/catalog/imports", "/catalog/imports/"+sha+"/apply", url.Values{})

	approver := newBrowser(t, site.base) // 市场监管局, the item's department
	home := approver.login("approver")
	if m := bellCountRe.FindStringSubmatch(home); m == nil || m[1] != "1" {
		t.Fatalf("the approver's bell count: %v, want 1", m)
	}
	_, list := approver.get("/notifications")
	if !strings.Contains(list, "n-item unread") || !strings.Contains(list, "上游事项目录同步") ||
		!strings.Contains(list, `href="/guides/`+companyItem+`"`) || !strings.Contains(list, newName) {
		t.Fatalf("notifications page:\n%.1500s", list)
	}
	m := markReadRe.FindStringSubmatch(list)
	if m == nil {
		t.Fatal("no mark-read form")
	}
	_, list = approver.post("/notifications", m[1], url.Values{})
	if bellCountRe.MatchString(list) || strings.Contains(list, "n-item unread") || !strings.Contains(list, `data-testid="bell"`) {
		t.Error("after mark read the bell still counts, or the item is still unread")
	}

	if _, home := editor.get("/"); bellCountRe.MatchString(home) || !strings.Contains(home, `data-testid="bell"`) {
		t.Error("审管办's editor sees another department's notifications, or no bell")
	}
	citizen := newBrowser(t, site.base)
	if home := citizen.login("citizen"); strings.Contains(home, `data-testid="bell"`) {
		t.Error("an applicant has a notifications bell")
	}
	if code, _ := citizen.get("/notifications"); code != 403 {
		t.Errorf("applicant /notifications: %d, want 403", code)
	}
}

func TestMarkAllReadClearsTheBell(t *testing.T) {
	site := newImportSite(t)
	editor := newBrowser(t, site.base)
	editor.login("catalog")
	for _, name := range []string{newName, "又一个名称"} {
		_, sha := reviewed(t, editor, site.renamedCatalog(t, companyItem, name))
		editor.post("/catalog/imports", "/catalog/imports/"+sha+"/apply", url.Values{})
	}
	approver := newBrowser(t, site.base)
	if m := bellCountRe.FindStringSubmatch(approver.login("approver")); m == nil || m[1] != "2" {
		t.Fatalf("bell count %v, want 2", m)
	}
	code, list := approver.post("/notifications", "/notifications/read-all", url.Values{})
	if code != 200 || bellCountRe.MatchString(list) || strings.Contains(list, "n-item unread") || !strings.Contains(list, "通知已全部标为已读") {
		t.Errorf("mark all read: %d", code)
	}
}
