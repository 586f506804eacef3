package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// draftForm is the edit form's content for 公司设立登记 as the demo has it,
// with the limits given.
func draftForm(promised, statutory string) url.Values {
	return url.Values{
		"name": {"公司设立登记"}, "type": {"licensing"}, "caseType": {"promised"},
		"statutoryLimit": {statutory}, "promisedLimit": {promised}, "visitsRequired": {"1"}, "onlineDepth": {"4"},
		"dailyQuota": {"60"}, "bookable": {"1"}, "fee": {"不收费"}, "resultName": {"营业执照"},
		"legalBasis": {"《中华人民共和国公司法》"}, "conditions": {"有公司名称"}, "flow": {"受理、核准、发照"},
		"m.code": {"M001", "M002", ""}, "m.originals": {"1", "1", "1"}, "m.copies": {"0", "0", "0"},
		"m.required": {"0", "1"}, "m.source": {"applicant", "applicant", "applicant"}, "m.note": {"", "", ""},
		"local.place": {"行政服务中心一楼"}, "local.phone": {"0574-86829101"},
	}
}

func TestCatalogAdminEditsPublishesAndShowsTheDiff(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	b.login("catalog")
	const item = "/catalog/items/330206-MARKET-XK-0001"

	code, body := b.get("/catalog")
	if code != 200 || !strings.Contains(body, "公司设立登记") || !strings.Contains(body, `href="/catalog"`) {
		t.Fatalf("item list: %d", code)
	}

	code, body = b.post(item, item+"/draft", draftForm("5", "3"))
	if code != 422 || !strings.Contains(body, "承诺办结时限不能超过法定办结时限") || !strings.Contains(body, `value="5"`) {
		t.Errorf("promised over statutory: %d, want 422 with the field error and the form refilled", code)
	}

	code, body = b.post(item, item+"/draft", draftForm("0.5", "3"))
	if code != 200 || !strings.Contains(body, "草稿已保存") || !strings.Contains(body, `data-testid="has-draft"`) {
		t.Fatalf("save draft: %d", code)
	}
	if !strings.Contains(body, "承诺 0.5 个工作日，比法定 3 个工作日压缩 83%") {
		t.Error("the edit page does not show the compression")
	}

	code, body = b.post(item, item+"/publish", url.Values{})
	if code != 200 || !strings.Contains(body, "已发布新版本") || !strings.Contains(body, `data-testid="version-2"`) {
		t.Fatalf("publish: %d", code)
	}
	for _, want := range []string{"承诺办结时限", "<td class=\"wrap old\">1</td>", "<td class=\"wrap new\">0.5</td>", "申请材料 · ", "第 2 版"} {
		if !strings.Contains(body, want) {
			t.Errorf("version history lacks %q", want)
		}
	}
	if _, body := b.get("/guides/330206-MARKET-XK-0001"); !strings.Contains(body, "第 2 版") {
		t.Error("the public guide does not show version 2")
	}
}

func TestCatalogAdminPublishWithoutDraftIsExplained(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	b.login("catalog")
	const item = "/catalog/items/330206-HRSS-GG-0004"
	code, body := b.post(item, item+"/publish", url.Values{})
	if (code != 409 && code != 422) || !strings.Contains(body, "事项没有待发布的草稿") {
		t.Errorf("publish without a draft: %d", code)
	}
}

func TestCatalogAdminSections(t *testing.T) {
	base := newCatalogSite(t)
	b := newBrowser(t, base)
	b.login("catalog")
	pages := map[string][]string{
		"/catalog/proofs":                               {"无犯罪记录证明", "告知承诺", "保留", "已取消"},
		"/catalog/bundles":                              {"外贸企业证照联办", "26 → 9"},
		"/catalog/consistency":                          {"八统一", "hubei-2018"},
		"/catalog/items/330206-MARKET-XK-0001/versions": {"第 1 版", "首个版本"},
	}
	for path, wants := range pages {
		code, body := b.get(path)
		if code != 200 {
			t.Errorf("%s: %d", path, code)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
}

func TestCatalogAdminIsForCatalogEditorsOnly(t *testing.T) {
	base := newCatalogSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	for _, p := range []string{"/catalog", "/catalog/items/330206-MARKET-XK-0001", "/catalog/proofs"} {
		if code, _ := clerk.get(p); code != http.StatusForbidden {
			t.Errorf("clerk %s: %d, want 403", p, code)
		}
	}
	if _, body := clerk.get("/guides"); strings.Contains(body, `href="/catalog"`) || !strings.Contains(body, `href="/guides"`) {
		t.Error("a clerk's menu must show the guides and not the catalog admin")
	}
	anon := newBrowser(t, base)
	anon.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if code, _ := anon.get("/catalog"); code != http.StatusSeeOther {
		t.Errorf("anonymous /catalog: %d, want a redirect to login", code)
	}
}
