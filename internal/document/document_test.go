package document

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

var (
	cst      = time.FixedZone("CST", 8*3600)
	accepted = time.Date(2026, 11, 27, 9, 30, 0, 0, cst)
)

// newRenderer builds a Renderer on the machine's CJK font. Without a font
// the test is skipped, except in CI (ONEVISIT_TEST_BROWSER set), where a
// missing font is a failure.
func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	path := os.Getenv("ONEVISIT_FONT")
	if path == "" {
		p, err := FindFont()
		if err != nil {
			if os.Getenv("ONEVISIT_TEST_BROWSER") == "" {
				t.Skip(err)
			}
			t.Fatal(err)
		}
		path = p
	}
	r, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tool writes pdf to a temporary file, runs a poppler utility on it with
// args before the file and after it, and returns the standard output.
func tool(t *testing.T, pdf []byte, name string, args []string, after ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("ONEVISIT_TEST_BROWSER") == "" {
			t.Skipf("%s not installed (Debian package poppler-utils)", name)
		}
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, append(append(args, in), after...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", name, err, stderr.String())
	}
	return out
}

// text extracts the text of pdf with whitespace removed, so assertions do
// not depend on where lines wrap.
func text(t *testing.T, pdf []byte) string {
	t.Helper()
	out := tool(t, pdf, "pdftotext", []string{"-raw", "-enc", "UTF-8"}, "-")
	return strings.Join(strings.Fields(string(out)), "")
}

func pages(t *testing.T, pdf []byte) int {
	t.Helper()
	out := tool(t, pdf, "pdfinfo", nil)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %q", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// decodeQR renders page 1 at 150 dpi and decodes the QR code on it.
func decodeQR(t *testing.T, pdf []byte) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "page")
	tool(t, pdf, "pdftoppm", []string{"-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"}, root)
	png, err := os.ReadFile(root + ".png")
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("decode page image: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("no QR code found on page 1: %v", err)
	}
	return res.GetText()
}

func assertContains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, strings.Join(strings.Fields(w), "")) {
			t.Errorf("text lacks %q", w)
		}
	}
}

func sampleReceipt(n int) ReceiptData {
	d := ReceiptData{
		Center:      "杭州市上城区行政服务中心",
		CaseNo:      "330102-2026-000123",
		Item:        "食品经营许可（新办）",
		Applicant:   Applicant{Name: "张三", IDType: "居民身份证", IDNumber: "33010619800101123X"},
		AcceptedAt:  accepted,
		LegalDue:    "2026年12月25日",
		PromisedDue: "2026年12月4日",
		Clerk:       "李四",
		Window:      "综合受理3号",
		ProgressURL: "https://zwfw.example.gov.cn/cases/330102-2026-000123",
		Pending:     []PendingMaterial{{Name: "卫生许可证明复印件", PromisedBy: "2026年12月2日"}},
	}
	names := []string{"食品经营许可申请书", "营业执照复印件", "法定代表人身份证明", "与食品经营相适应的主要设备设施布局、操作流程等文件"}
	for i := 0; i < n; i++ {
		name := names[i%len(names)]
		if n > len(names) {
			name = fmt.Sprintf("%s（第%d项）", name, i+1)
		}
		d.Received = append(d.Received, ReceivedMaterial{Name: name, Originals: 1, Copies: i % 3})
	}
	return d
}

func TestReceiptShowsCaseMaterialsAndQR(t *testing.T) {
	r := newRenderer(t)
	d := sampleReceipt(4)
	pdf, err := r.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, pdf)
	assertContains(t, got, "受理通知书", d.Center, d.CaseNo, d.Item, "张三", "330106********123X",
		"2026年11月27日 09:30", d.LegalDue, d.PromisedDue, d.Clerk, d.Window,
		"容缺材料", "卫生许可证明复印件", "2026年12月2日", "（行政服务中心受理专用章）")
	for _, m := range d.Received {
		assertContains(t, got, m.Name)
	}
	if strings.Contains(got, d.Applicant.IDNumber) {
		t.Error("receipt prints the full ID number")
	}
	if url := decodeQR(t, pdf); url != d.ProgressURL {
		t.Errorf("QR code = %q, want %q", url, d.ProgressURL)
	}
}

func TestReceiptTitleCanBeReceipt(t *testing.T) {
	r := newRenderer(t)
	d := sampleReceipt(1)
	d.Title = "受理回执"
	pdf, err := r.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, text(t, pdf), "受理回执")
}

func TestReceiptLongListBreaksPages(t *testing.T) {
	r := newRenderer(t)
	d := sampleReceipt(60)
	pdf, err := r.Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	if n := pages(t, pdf); n < 2 {
		t.Fatalf("60 materials on %d page(s), want 2 or more", n)
	}
	got := text(t, pdf)
	for _, m := range d.Received {
		assertContains(t, got, m.Name)
	}
	assertContains(t, got, "— 2 —")
}

func TestReceiptIsDeterministic(t *testing.T) {
	r := newRenderer(t)
	a, err := r.Receipt(sampleReceipt(4))
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Receipt(sampleReceipt(4))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("same data gave different bytes")
	}
	if !bytes.Contains(a, []byte("D:20261127093000")) {
		t.Error("creation date is not the acceptance time")
	}
}

func TestReceiptSurvivesTextOutsideTheFont(t *testing.T) {
	r := newRenderer(t)
	d := sampleReceipt(1)
	d.Applicant.Name = "王𠈌😀\x07"
	d.Received[0].Name = strings.Repeat("很长的材料名称", 400)
	if _, err := r.Receipt(d); err != nil {
		t.Fatal(err)
	}
}

func TestNoticeListsEveryDeficiencyAndQuotesArt32(t *testing.T) {
	r := newRenderer(t)
	d := NoticeData{
		Center: "杭州市上城区行政服务中心", Number: "GZ-2026-0042", CaseNo: "SJ-2026-0099",
		Item: "食品经营许可（新办）", Applicant: Applicant{Name: "杭州某某餐饮有限公司"},
		Deficiencies: []Deficiency{
			{"营业执照复印件", "未加盖公章", "加盖单位公章的营业执照复印件1份"},
			{"食品安全管理制度", "缺少", "食品安全管理制度文本1份"},
		},
		Clerk: "李四", Window: "综合受理3号", Date: accepted,
		ResubmitURL: "https://zwfw.example.gov.cn/resubmit/GZ-2026-0042",
	}
	pdf, err := r.Notice(d)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, pdf)
	assertContains(t, got, "一次性告知书", d.Number, d.CaseNo, Art32, "第三十二条", "2026年11月27日")
	for _, x := range d.Deficiencies {
		assertContains(t, got, x.Material, x.Problem, x.Needed)
	}
	if url := decodeQR(t, pdf); url != d.ResubmitURL {
		t.Errorf("QR code = %q, want %q", url, d.ResubmitURL)
	}
}

func TestNoticeNeedsADeficiency(t *testing.T) {
	r := newRenderer(t)
	if _, err := r.Notice(NoticeData{Date: accepted}); err == nil {
		t.Error("empty notice rendered")
	}
}

func TestDecision(t *testing.T) {
	r := newRenderer(t)
	base := DecisionData{
		Authority: "杭州市上城区市场监督管理局", Number: "上市监食许〔2026〕123号", CaseNo: "330102-2026-000123",
		Item: "食品经营许可（新办）", Applicant: Applicant{Name: "杭州某某餐饮有限公司"},
		AcceptedAt: accepted, Basis: "《中华人民共和国食品安全法》第三十五条",
		ReviewOrgan: "杭州市上城区人民政府", Date: accepted.AddDate(0, 0, 5),
	}
	remedy := "如不服本决定，可以在收到本决定书之日起六十日内向杭州市上城区人民政府申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
	tests := []struct {
		name     string
		approved bool
		reason   string
		want     []string
		not      string
	}{
		{"approval grants and states no remedies", true, "你单位的申请符合法定条件和标准。",
			[]string{"准予行政许可决定书", "决定准予行政许可。"}, "申请行政复议"},
		{"refusal gives reason and remedies", false, "经营场所与污染源的距离不符合要求。",
			[]string{"不予行政许可决定书", "经营场所与污染源的距离不符合要求。", "决定不予行政许可。", remedy}, "准予行政许可决定书"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base
			d.Approved, d.Reason = tt.approved, tt.reason
			pdf, err := r.Decision(d)
			if err != nil {
				t.Fatal(err)
			}
			got := text(t, pdf)
			assertContains(t, got, append(tt.want, d.Number, d.Item, d.Basis, "2026年12月2日")...)
			if strings.Contains(got, tt.not) {
				t.Errorf("text has %q", tt.not)
			}
		})
	}
}

func TestDecisionRefusalNeedsReviewOrgan(t *testing.T) {
	r := newRenderer(t)
	if _, err := r.Decision(DecisionData{Approved: false}); err == nil {
		t.Error("refusal without a review organ rendered")
	}
}

func TestRefusalGivesReasonAndRemedies(t *testing.T) {
	r := newRenderer(t)
	d := RefusalData{
		Center: "杭州市上城区行政服务中心", Number: "BSL-2026-0007", Item: "建设工程规划许可",
		Applicant: Applicant{Name: "张三"}, SubmittedAt: accepted,
		Reason: "申请事项依法不属于本机关职权范围。", Redirect: "杭州市规划和自然资源局",
		ReviewOrgan: "杭州市上城区人民政府", Date: accepted,
	}
	pdf, err := r.Refusal(d)
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, text(t, pdf), "不予受理通知书", d.Number, d.Reason, "请向杭州市规划和自然资源局提出申请。",
		"决定不予受理。", Remedies("通知书", d.ReviewOrgan), "（行政服务中心受理专用章）")
}

func TestFindFontNamesTheDebianPackage(t *testing.T) {
	_, err := findFirst([]string{filepath.Join(t.TempDir(), "none.ttf")})
	if err == nil || !strings.Contains(err.Error(), DebianFontPackage) {
		t.Fatalf("err = %v, want one naming %s", err, DebianFontPackage)
	}
}

func TestNewRejectsUnusableFonts(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"c.ttc": "ttcf....", "n.otf": "OTTO....", "x.ttf": "<html>"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := New(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestMaskedID(t *testing.T) {
	tests := map[string]string{
		"33010619800101123X": "330106********123X",
		"":                   "",
		"G1234567":           "******67",
	}
	for in, want := range tests {
		if got := maskedID(in); got != want {
			t.Errorf("maskedID(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkReceipt(b *testing.B) {
	r := newRenderer(b)
	d := sampleReceipt(8)
	var size int
	for b.Loop() {
		pdf, err := r.Receipt(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
