package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"onevisit/internal/catalogsync"
)

const (
	importChanged = "330206-MARKET-XK-0001"
	importRemoved = "330206-SAFETY-BA-0001"
)

// upstreamFile is the demo catalog as the province might send it back: one
// item renamed with a new fee, another gone.
func upstreamFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "internal", "demo", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	snap, err := catalogsync.Read(data, catalogsync.JSON)
	if err != nil {
		t.Fatal(err)
	}
	items := snap.Items[:0]
	for _, it := range snap.Items {
		if it.Code == importChanged {
			it.Name, it.Fee = "公司设立登记（全程网办）", "不收费（含营业执照副本一份）"
		}
		if it.Code != importRemoved {
			items = append(items, it)
		}
	}
	snap.Items = items
	var buf bytes.Buffer
	if err := catalogsync.Write(&buf, snap, catalogsync.JSON); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "浙江省事项目录.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCatalogImportReviewAndApply uploads an upstream catalog file as the
// catalog editor, checks the review (a dry run) at desktop and phone width
// with screenshots, applies it without confirming the removal, and sees
// the item's department told through the bell, until it marks it read.
func TestCatalogImportReviewAndApply(t *testing.T) {
	browser := newBrowser(t)
	base := startDemo(t)
	ctx := newTab(t, browser)
	file := upstreamFile(t)

	login(t, ctx, base, "catalog", demoPassword)
	do(t, ctx, "upload the upstream file",
		chromedp.Navigate(base+"/catalog/imports"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-file]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=import-file]`), []string{file}),
		chromedp.Click(chromedp.CSS(`[data-testid=import-review]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-review-form]`)),
	)
	for id, want := range map[string]string{"count-changed": "1", "count-removed": "1", "count-added": "0"} {
		if got := text(t, ctx, `[data-testid=`+id+`]`); got != want {
			t.Errorf("%s = %q, want %s", id, got, want)
		}
	}
	item := `[data-testid="import-item-` + importChanged + `"]`
	do(t, ctx, "open the changed item's diff", chromedp.Click(chromedp.CSS(item+` summary`)),
		chromedp.WaitVisible(chromedp.CSS(item+` table.diff`)))
	if got := text(t, ctx, item+` td.new`); !strings.Contains(got, "全程网办") {
		t.Errorf("first new value in the diff: %q", got)
	}
	shoot(t, ctx, "catalog-import-review")

	do(t, ctx, "apply without confirming the removal",
		chromedp.Click(chromedp.CSS(`[data-testid=import-apply]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-result]`)))
	if got := text(t, ctx, `[data-testid=import-pending]`); !strings.Contains(got, "应急预案备案") {
		t.Errorf("pending removals: %q", got)
	}
	if got := text(t, ctx, `[data-testid=import-notified]`); !strings.Contains(got, "市场监管局") {
		t.Errorf("notified: %q", got)
	}

	approver := newTab(t, browser)
	login(t, approver, base, "approver", demoPassword)
	// The demo has notified 市场监管局 before (its monthly score, say); the
	// import adds one more.
	if got, err := strconv.Atoi(text(t, approver, `[data-testid=bell-count]`)); err != nil || got < 1 {
		t.Errorf("the approver's bell shows %d (%v), want at least 1", got, err)
	}
	do(t, approver, "open the notifications", chromedp.Click(chromedp.CSS(`[data-testid=bell]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=notification]`)))
	shoot(t, approver, "notifications")
	if got := text(t, approver, `[data-testid=notifications]`); !strings.Contains(got, "应急预案备案") && !strings.Contains(got, "事项") {
		t.Errorf("the notifications page does not show the import: %q", got)
	}
	do(t, approver, "mark all read", chromedp.Click(chromedp.CSS(`[data-testid=read-all]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid=bell-count]`)))
}
