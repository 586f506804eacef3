package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3 description of this API; a test checks that it
// lists every route in routes.go.
//
//go:embed openapi.json
var openAPI []byte

func (a *API) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPI)
}
