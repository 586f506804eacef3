package web_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/demo"
	"onevisit/internal/document"
	"onevisit/internal/i18n"
	"onevisit/internal/uploads"
	"onevisit/internal/web"
)

// newCaseSite is the whole site with the demo catalog, for case journeys.
func newCaseSite(t *testing.T) string {
	t.Helper()
	base := newDemoBase(t, true)
	ctx, db, ids, cat := base.ctx, base.db, base.ids, base.cat
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	files, err := uploads.New(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var docs *document.Renderer
	if path, err := document.FindFont(); err == nil {
		docs, _ = document.New(path)
	} else if os.Getenv("ONEVISIT_TEST_BROWSER") != "" {
		t.Fatalf("no CJK font for PDFs: %v", err)
	}
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Catalog: cat,
		Cases: cases.NewService(db.Cases(), cat, cal, demo.Region, time.Now), Documents: docs, Uploads: files,
		Center: "宁波保税区行政服务中心", Messages: i18n.MustLoad(), DB: db, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

const foodItem = "330206-MARKET-XK-0005-001"

var caseNoRe = regexp.MustCompile(`data-testid="case-no">([^<]+)<`)

func acceptForm(decision string, ticks ...string) url.Values {
	f := url.Values{"item": {foodItem}, "kind": {"person"}, "name": {"张三"}, "idNumber": {demo.CitizenID()},
		"decision": {decision}, "window": {"A3"}, "reason": {"材料不齐"}}
	for _, code := range []string{"M020", "M008", "M006", "M005", "M021", "M022", "M007"} {
		f.Add("material", code)
	}
	for _, code := range ticks {
		f.Set("received_"+code, "1")
	}
	return f
}

func TestAClerkAcceptsAnyItemAtTheWindowAndPrintsTheReceipt(t *testing.T) {
	base := newCaseSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	code, body := clerk.post("/accept?item="+foodItem, "/accept", acceptForm("accept", "M020", "M008", "M006", "M005", "M021", "M022"))
	m := caseNoRe.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, "审批中") {
		t.Fatalf("acceptance: %d\n%.600s", code, body)
	}
	no := m[1]
	if !strings.Contains(body, `data-testid="visits">1<`) {
		t.Error("a window acceptance counts one visit")
	}
	// the approver of 市场监管局 sees it in the department worklist and approves
	approver := newBrowser(t, base)
	approver.login("approver")
	if _, list := approver.get("/cases"); !strings.Contains(list, no) {
		t.Fatalf("the department's worklist lacks %s", no)
	}
	_, body = approver.post("/cases/"+no, "/cases/"+no+"/act", url.Values{"action": {"approve"}, "reason": {"符合条件"}})
	if !strings.Contains(body, "准予许可") {
		t.Fatalf("after approval:\n%.600s", body)
	}
	// the applicant's public progress page, with the last six of the ID number
	anon := newBrowser(t, base)
	_, body = anon.get("/progress?no=" + url.QueryEscape(no) + "&code=" + demo.CitizenID()[12:])
	if !strings.Contains(body, `data-testid="progress-result"`) || !strings.Contains(body, "张*") || strings.Contains(body, "张三") {
		t.Errorf("progress page: the masked status is missing or shows the full name")
	}
	if _, body = anon.get("/progress?no=" + url.QueryEscape(no) + "&code=000000"); strings.Contains(body, "progress-result") {
		t.Error("a wrong code shows the case")
	}
	checkPDF(t, clerk, "/cases/"+no+"/receipt.pdf", []string{"受理通知书", no, "食品经营许可", "营业执照"})
}

func TestAOneTimeNoticeListsEveryMissingMaterialInItsPDF(t *testing.T) {
	base := newCaseSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	f := acceptForm("notice", "M020", "M008")
	f.Set("problem_M020", "申请书未签字")
	_, body := clerk.post("/accept?item="+foodItem, "/accept", f)
	m := caseNoRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "已一次性告知") {
		t.Fatalf("notice:\n%.800s", body)
	}
	checkPDF(t, clerk, "/cases/"+m[1]+"/notice.pdf", []string{"一次性告知书", "申请书未签字", "第三十二条",
		"食品安全管理制度"})
}

// checkPDF downloads a PDF and checks its text with pdftotext.
func checkPDF(t *testing.T, b *browser, path string, want []string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("ONEVISIT_TEST_BROWSER") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed")
		}
		t.Skip("pdftotext not installed")
	}
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	pdf, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("%s: %d %.200s", path, resp.StatusCode, pdf)
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, w := range want {
		if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
			t.Errorf("%s lacks %q", path, w)
		}
	}
}

func TestAClerkAcceptsTheForeignTradeBundleWithNineMaterials(t *testing.T) {
	base := newCaseSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	_, form := clerk.get("/accept?bundle=FTZ-TRADE-LICENCES")
	codes := regexp.MustCompile(`name="material" value="([^"]+)"`).FindAllStringSubmatch(form, -1)
	if len(codes) < 9 || !strings.Contains(form, "共需 26 份材料，合并后 9 份") {
		t.Fatalf("the bundle form lists %d materials, want the 9 required ones and the optional ones\n%.3000s", len(codes), form)
	}
	uscc, _ := demo.OrgUSCC("91", demo.Region, "MA2CX0Y1")
	f := url.Values{"bundle": {"FTZ-TRADE-LICENCES"}, "kind": {"legal"}, "name": {"宁波北仑示范贸易有限公司"},
		"uscc": {uscc}, "legalRep": {"张三"}, "decision": {"accept"}}
	for _, m := range codes {
		f.Add("material", m[1])
		f.Set("received_"+m[1], "1")
	}
	_, body := clerk.post("/accept?bundle=FTZ-TRADE-LICENCES", "/accept", f)
	if !strings.Contains(body, `data-testid="subcases"`) || strings.Count(body, "等待前序阶段") < 2 || !strings.Contains(body, "审批中") {
		t.Fatalf("bundle case page:\n%.1500s", body)
	}
}

func TestARefusalAtTheWindowComesWithAWrittenNotice(t *testing.T) {
	base := newCaseSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	f := acceptForm("refuse")
	f.Set("reason", "申请事项依法不需要取得行政许可")
	_, body := clerk.post("/accept?item="+foodItem, "/accept", f)
	m := caseNoRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "不予受理") {
		t.Fatalf("refusal:\n%.600s", body)
	}
	checkPDF(t, clerk, "/cases/"+m[1]+"/refusal.pdf", []string{"不予受理", "申请事项依法不需要取得行政许可", "行政复议"})
}
