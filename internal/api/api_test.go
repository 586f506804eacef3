package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"onevisit/internal/api"
	"onevisit/internal/calendar"
	"onevisit/internal/demo"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

const pw = "Test-pass-2026"

func newServer(t *testing.T, db *sqlstore.DB) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	policy := identity.DefaultPolicy
	policy.Argon2 = identity.Argon2Params{MemoryKiB: 1024, Time: 1, Threads: 1}
	ids := identity.NewService(db.Identity(), policy, time.Now)
	if _, err := demo.Seed(ctx, ids, pw, false); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.NewService(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(api.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids, Calendar: cal,
		Audit: db, Messages: i18n.MustLoad(), Now: time.Now})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, method, u, token, lang, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, u, b)
		}
	}
	return resp.StatusCode, v
}

func login(t *testing.T, base, user string) string {
	t.Helper()
	code, v := call(t, "POST", base+"/api/v1/auth/login", "", "", `{"username":"`+user+`","password":"`+pw+`"}`)
	if code != 200 {
		t.Fatalf("login %s: %d %v", user, code, v)
	}
	return v["token"].(string)
}

func TestCalendarEndpointsAgreeWithTheLaw(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newServer(t, db).URL
		dues := []struct{ from, days, due string }{
			{"2018-09-28", "5", "2018-10-10"}, {"2018-12-28", "2", "2019-01-02"}, {"2026-02-13", "3", "2026-02-25"},
			{"2024-04-30", "1", "2024-05-06"}, {"2026-11-27", "0", "2026-11-27"}, {"2025-09-30", "1", "2025-10-09"},
			{"2019-04-30", "1", "2019-05-05"}, {"2026-09-30", "20", "2026-11-03"}, {"2026-11-27", "0.5", "2026-11-30"},
		}
		for _, d := range dues {
			code, v := call(t, "GET", base+"/api/v1/calendar/due?from="+d.from+"&days="+d.days, "", "", "")
			if code != 200 || v["due"] != d.due || v["from"] != d.from {
				t.Errorf("due(%s, %s) = %d %v, want %s", d.from, d.days, code, v, d.due)
			}
		}
		code, v := call(t, "GET", base+"/api/v1/calendar/due?from=2026-11-27&days=0.5", "", "", "")
		if code != 200 || v["noon"] != true {
			t.Errorf("half a day is due at noon: %v", v)
		}
		code, v = call(t, "GET", base+"/api/v1/calendar/workdays?from=2025-12-31&to=2026-12-31", "", "", "")
		if code != 200 || v["workdays"] != float64(248) {
			t.Errorf("workdays in 2026: %d %v, want 248", code, v)
		}
		code, v = call(t, "GET", base+"/api/v1/calendar/2018", "", "", "")
		if code != 200 || v["workdays"] != float64(250) || len(v["makeupWorkdays"].([]any)) != 7 {
			t.Errorf("2018: %d workdays %v, %d make-up days", code, v["workdays"], len(v["makeupWorkdays"].([]any)))
		}
		bad := []string{"from=2018-09-31&days=5", "from=2018-9-28&days=5", "from=2018-09-28&days=-1", "from=2018-09-28&days=0.3",
			"from=2018-09-28&days=abc", "days=5", "from=1800-01-01&days=1"}
		for _, q := range bad {
			code, v := call(t, "GET", base+"/api/v1/calendar/due?"+q, "", "", "")
			e, _ := v["error"].(map[string]any)
			if code != 400 || e["code"] != "invalid" || e["message"] == "" {
				t.Errorf("due?%s: %d %v, want 400 with a message", q, code, v)
			}
		}
		_, v = call(t, "GET", base+"/api/v1/calendar/due?from=2018-02-30&days=1", "", "en", "")
		if msg := v["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "YYYY-MM-DD") || strings.ContainsAny(msg, "日期") {
			t.Errorf("English error message: %q", msg)
		}
	})
}

func TestAdminsLoadANewYearsNoticeAsARevision(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newServer(t, db).URL
		notice := `{"dates":{"2027-01-01":{"type":"holiday","name":"元旦"},"2027-01-04":{"type":"holiday","name":"元旦"},"2027-01-09":{"type":"makeup_workday","name":"元旦"}}}`
		if code, _ := call(t, "POST", base+"/api/v1/calendar/revisions", login(t, base, "clerk"), "", notice); code != 403 {
			t.Fatalf("a clerk loading a notice: %d, want 403", code)
		}
		admin := login(t, base, "admin")
		code, v := call(t, "POST", base+"/api/v1/calendar/revisions?publishedAt=2026-11-10&note=国办发明电〔2026〕X号", admin, "", notice)
		if code != 201 {
			t.Fatalf("load notice: %d %v", code, v)
		}
		_, v = call(t, "GET", base+"/api/v1/calendar/due?from=2026-12-31&days=2", "", "", "")
		if v["due"] != "2027-01-06" {
			t.Fatalf("due after the 2027 notice: %v, want 2027-01-06 (1-1 and 1-4 off, 1-2 and 1-3 a weekend)", v["due"])
		}
		_, v = call(t, "GET", base+"/api/v1/calendar/2027", "", "", "")
		if v["covered"] != true || len(v["holidays"].([]any)) != 2 {
			t.Fatalf("2027: %v", v)
		}
		code, v = call(t, "POST", base+"/api/v1/calendar/revisions", admin, "", `{"dates":{"2027-02-30":{"type":"holiday"}}}`)
		if code != 422 || !strings.Contains(v["error"].(map[string]any)["message"].(string), "2027-02-30") {
			t.Fatalf("bad notice: %d %v", code, v)
		}
	})
}

func TestValidateEndpoint(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newServer(t, db).URL
		companyUSCC, _ := demo.OrgUSCC("91", demo.Region, "MA2CX0Y1")
		cases := []struct {
			kind, code string
			valid      bool
			reason     string
		}{
			{"uscc", "91512081MA62K0260E", true, ""},
			{"uscc", companyUSCC, true, ""},
			{"uscc", "91350100M000100Y4Z", false, "checksum"},
			{"uscc", "9151208", false, "length"},
			{"idcard", "11010519491231002X", true, ""},
			{"idcard", "11010519491231002x", true, ""},
			{"idcard", "110105194912310021", false, "checksum"},
			{"idcard", "110105194902300025", false, "birthdate"},
			{"idcard", demo.CitizenID(), true, ""},
			{"orgcode", "MA62K026-0", true, ""},
			{"licenceid", "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U", true, ""},
			{"licenceid", "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V", false, "checksum"},
			{"uscc", "", false, "empty"},
		}
		for _, c := range cases {
			code, v := call(t, "GET", base+"/api/v1/validate/"+c.kind+"?code="+c.code, "", "", "")
			if code != 200 || v["valid"] != c.valid || (c.reason != "" && v["reason"] != c.reason) {
				t.Errorf("%s %q: %d %v, want valid=%v reason=%s", c.kind, c.code, code, v, c.valid, c.reason)
			}
			if !c.valid && v["message"] == "" {
				t.Errorf("%s %q: no message", c.kind, c.code)
			}
		}
		if code, _ := call(t, "GET", base+"/api/v1/validate/passport?code=x", "", "", ""); code != 404 {
			t.Errorf("unknown kind: %d", code)
		}
	})
}

func TestPermissionsAndTokensThroughTheAPI(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		base := newServer(t, db).URL
		admin := login(t, base, "admin")
		if code, _ := call(t, "GET", base+"/api/v1/users", "", "", ""); code != 401 {
			t.Errorf("users without a token: %d", code)
		}
		if code, _ := call(t, "GET", base+"/api/v1/users", login(t, base, "citizen"), "", ""); code != 403 {
			t.Errorf("users as a citizen: %d", code)
		}
		code, v := call(t, "GET", base+"/api/v1/users", admin, "", "")
		if code != 200 || len(v["users"].([]any)) != 9 {
			t.Fatalf("users as admin: %d %v", code, v)
		}
		if strings.Contains(toJSON(v), demo.CitizenID()) {
			t.Fatal("the user list shows a full ID number")
		}
		code, v = call(t, "POST", base+"/api/v1/tokens", admin, "", `{"name":"市场监管局系统","departmentId":1,"permissions":["validate"]}`)
		if code != 201 {
			t.Fatalf("create token: %d %v", code, v)
		}
		secret := v["token"].(string)
		if code, _ := call(t, "GET", base+"/api/v1/me", secret, "", ""); code != 200 {
			t.Errorf("token /me: %d", code)
		}
		if code, _ := call(t, "GET", base+"/api/v1/users", secret, "", ""); code != 403 {
			t.Errorf("token outside its scope: %d", code)
		}
		id := v["info"].(map[string]any)["id"].(float64)
		if code, _ := call(t, "DELETE", base+"/api/v1/tokens/"+itoa(id), admin, "", ""); code != 204 {
			t.Errorf("revoke: %d", code)
		}
		if code, _ := call(t, "GET", base+"/api/v1/me", secret, "", ""); code != 401 {
			t.Errorf("revoked token: %d", code)
		}
		code, v = call(t, "POST", base+"/api/v1/users", admin, "en", `{"username":"li","displayName":"李四","password":"longenough","kind":"person","idNumber":"110105194912310021"}`)
		fields, _ := v["error"].(map[string]any)["fields"].(map[string]any)
		if code != 422 || fields["idNumber"] != "the check character is wrong" {
			t.Errorf("bad ID number: %d %v", code, v)
		}
		if code, _ := call(t, "POST", base+"/api/v1/users", admin, "", `{"username":`); code != 400 {
			t.Errorf("malformed JSON: %d", code)
		}
	})
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func itoa(f float64) string { b, _ := json.Marshal(int64(f)); return string(b) }

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security  *[]any         `json:"security"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	db := sqlstoretest.SQLite(t)
	base := newServer(t, db).URL
	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`h\("(GET|POST|PUT|PATCH|DELETE) /api/v1(/[^"]*)"`)
	n := 0
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		n++
		method, path := strings.ToLower(m[1]), m[2]
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("%s %s is not in openapi.json", m[1], path)
		}
	}
	if n < 15 {
		t.Fatalf("found only %d routes in routes.go", n)
	}
	// Anonymous callers share a per-address allowance: every operation open
	// to them says it may answer 429 with Retry-After.
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.Security != nil && len(*op.Security) == 0 && op.Responses["429"] == nil {
				t.Errorf("%s %s is public but does not document 429", strings.ToUpper(method), path)
			}
		}
	}
}
