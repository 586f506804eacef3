package api

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
)

// FuzzDecodeApplication: the body of POST /api/v1/cases decodes into a
// cases.Application or is refused as invalid JSON; it never panics.
func FuzzDecodeApplication(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"itemCode":"330206-MARKET-XK-0005-001","applicant":{"kind":"person","name":"张三"}}`,
		`{"materials":[{"code":"M001"}]}`, `{"itemCode":1}`, `[`, `{"unknown":true}`, "\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewReader(body))
		var in cases.Application
		if err := decode(r, &in); err != nil && apperr.KindOf(err) != apperr.Invalid {
			t.Fatalf("decode error of kind %v: %v", apperr.KindOf(err), err)
		}
	})
}
