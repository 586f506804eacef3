package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"onevisit/internal/i18n"
	"onevisit/internal/web"
)

// newCatalogSite is a site on a fresh SQLite database with the demo
// accounts and the demo catalog.
func newCatalogSite(t *testing.T) string {
	t.Helper()
	base := newDemoBase(t, true)
	db, ids, cat := base.db, base.ids, base.cat
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids,
		Catalog: cat, Messages: i18n.MustLoad(), DB: db, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// cards lists the item names of the result cards of a search page.
func cards(body string) []string {
	var names []string
	re := regexp.MustCompile(`(?s)data-testid="guide-card">\s*<h2><a href="/guides/[^"]+">([^<]+)</a>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestGuideSearchFindsItemsByChineseKeyword(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base) // anonymous: the guides are public
	tests := []struct {
		name, query string
		want        []string
	}{
		{"外贸 finds the foreign-trade filing", "/guides?q=%E5%A4%96%E8%B4%B8", []string{"对外贸易经营者备案登记"}},
		{"社保 finds the social-insurance registration", "/guides?q=%E7%A4%BE%E4%BF%9D", []string{"单位社会保险登记（参保登记）"}},
		{"a department filter keeps its items only", "/guides?dept=HRSS", []string{"失业登记"}},
		{"the theme filter keeps the bundle's items", "/guides?theme=%E4%BC%81%E4%B8%9A%E5%BC%80%E5%8A%9E", []string{"货物贸易外汇收支企业名录登记"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := b.get(tt.query)
			if code != 200 {
				t.Fatalf("%s: %d", tt.query, code)
			}
			got := strings.Join(cards(body), "|")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: results %q lack %q", tt.query, got, w)
				}
			}
		})
	}
	_, body := b.get("/guides?q=%E7%A4%BE%E4%BF%9D&object=person")
	for _, n := range cards(body) {
		if n == "单位社会保险登记（参保登记）" {
			t.Error("the person filter kept an enterprise item")
		}
	}
}

func TestGuideSearchPageStates(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	_, body := b.get("/guides")
	for _, want := range []string{`data-testid="guides-q"`, "外贸企业证照联办", `href="/guides/bundles/FTZ-TRADE-LICENCES"`,
		"人力社保局", "企业开办", `rel="next"`, `class="badge zero"`, `class="badge once"`, "压缩"} {
		if !strings.Contains(body, want) {
			t.Errorf("/guides lacks %q", want)
		}
	}
	if _, body := b.get("/guides?q=zzzz-no-such-thing"); !strings.Contains(body, `data-testid="guides-none"`) {
		t.Error("a search without results shows no no-results state")
	}
	if _, body := b.get("/guides?page=2"); !strings.Contains(body, `rel="prev"`) || !strings.Contains(body, "第 2 / 6 页") {
		t.Error("page 2 lacks its pager")
	}
}

func TestGuidePageShowsTheWholeGuide(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	code, body := b.get("/guides/330206-MARKET-XK-0001-001")
	if code != 200 {
		t.Fatalf("guide page: %d", code)
	}
	for _, want := range []string{
		"有限责任公司设立登记", `href="/guides/330206-MARKET-XK-0001">公司设立登记</a>`, // breadcrumb to the main item
		"承诺 1 个工作日，比法定 3 个工作日压缩 67%", "最多跑一次", "申请材料", "原件", "复印件", "容缺", "来源",
		"宁波保税区行政服务中心", "办理流程", "受理条件", "收费标准", "设定依据", "常见问题", "0574-86829101", "12345",
		`src="/qr?u=/guides/330206-MARKET-XK-0001-001"`, "第 1 版", `data-print`, "外贸企业证照联办",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("guide page lacks %q", want)
		}
	}
	if code, _ := b.get("/guides/NO-SUCH-ITEM"); code != 404 {
		t.Errorf("unknown item: %d", code)
	}
}

func TestBundlePageMergesMaterials(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	code, body := b.get("/guides/bundles/FTZ-TRADE-LICENCES")
	if code != 200 {
		t.Fatalf("bundle page: %d", code)
	}
	for _, want := range []string{"共需 26 份材料，合并后 9 份", "第 2 环节", "2 项并联", "3 项并联",
		"对外贸易经营者备案登记", "单位社会保险登记（参保登记）", "合并后的材料清单"} {
		if !strings.Contains(body, want) {
			t.Errorf("bundle page lacks %q", want)
		}
	}
}

func TestQRCodeIsForThisSiteOnly(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	resp, err := b.c.Get(base + "/qr?u=/guides/330206-MARKET-XK-0001")
	if err != nil {
		t.Fatal(err)
	}
	png, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("QR of a guide: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, u := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "guides"} {
		if code, _ := b.get("/qr?u=" + strings.ReplaceAll(u, "/", "%2F")); code != 422 {
			t.Errorf("QR of %q: %d, want 422", u, code)
		}
	}
}
