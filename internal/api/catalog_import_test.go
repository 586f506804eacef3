package api_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"onevisit/internal/sqlstore/sqlstoretest"
)

// upload posts a catalog file to the import endpoint as a multipart form
// and returns the status and the decoded answer.
func upload(t *testing.T, u, token string, file []byte) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "catalog.json")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestCatalogImportEndpoint(t *testing.T) {
	base := newCatalogServer(t, sqlstoretest.SQLite(t))
	u := base + "/api/v1/catalog/imports"
	snap := catalogSnapshot()
	same := toJSON(snap)

	if code, _ := call(t, "POST", u, login(t, base, "clerk"), "", same); code != http.StatusForbidden {
		t.Errorf("clerk import: %d, want 403", code)
	}
	token := login(t, base, "catalog")
	code, r := call(t, "POST", u, token, "", same)
	if code != http.StatusOK || r["added"] != 0.0 || r["changed"] != 0.0 || r["removed"] != 0.0 || r["unchanged"] != 2.0 || r["dryRun"] != true {
		t.Fatalf("import of the same catalog: %d %v, want a dry run with 2 unchanged", code, r)
	}

	snap.Items[0].Fee = "每件 50 元"
	code, r = upload(t, u+"?dryRun=false", token, []byte(toJSON(snap)))
	if code != http.StatusOK || r["changed"] != 1.0 || toJSON(r["published"]) != `["TRADE"]` || toJSON(r["notified"]) != `["COMMERCE"]` {
		t.Errorf("applying a changed fee: %d %v", code, r)
	}
	_, item := call(t, "GET", base+"/api/v1/items/TRADE", "", "", "")
	if item["fee"] != "每件 50 元" || item["version"] != 2.0 {
		t.Errorf("TRADE after import: fee %v, version %v", item["fee"], item["version"])
	}

	snap.Items[1].PromisedLimit = 99
	code, r = upload(t, u+"?dryRun=false", token, []byte(toJSON(snap)))
	errs, _ := r["errors"].([]any)
	if code != http.StatusUnprocessableEntity || len(errs) != 1 ||
		!strings.Contains(toJSON(errs[0]), `"field":"items[1].promisedLimit"`) ||
		!strings.Contains(toJSON(errs[0]), "cannot exceed the statutory one") {
		t.Errorf("malformed file: %d %v", code, r)
	}
	if code, _ := call(t, "POST", u+"?dryRun=maybe", token, "", same); code != http.StatusBadRequest {
		t.Errorf("dryRun=maybe: %d, want 400", code)
	}
}
