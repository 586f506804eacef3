package api

import (
	"net/http"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      meBody    `json:"user"`
}

type meBody struct {
	ID           int64           `json:"id"`
	Username     string          `json:"username"`
	Name         string          `json:"name"`
	Kind         identity.Kind   `json:"kind"`
	Roles        []identity.Role `json:"roles"`
	DepartmentID int64           `json:"departmentId,omitempty"`
}

func meOf(p *identity.Principal) meBody {
	return meBody{ID: p.UserID, Username: p.Username, Name: p.Name, Kind: p.Kind, Roles: p.Roles, DepartmentID: p.DepartmentID}
}

func (a *API) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		a.error(w, r, err)
		return
	}
	token, sess, u, err := a.ids.Login(r.Context(), req.Username, req.Password, "api", clientIP(r))
	if err != nil {
		a.error(w, r, err)
		return
	}
	p := &identity.Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Kind: u.Kind, Roles: u.Roles, DepartmentID: u.DepartmentID}
	writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: sess.ExpiresAt, User: meOf(p)})
}

func (a *API) handleLogout(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	if p == nil || p.Token != nil {
		a.error(w, r, apperr.New(apperr.Unauthenticated, "err.unauthenticated"))
		return
	}
	token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if err := a.ids.Logout(r.Context(), p, token); err != nil {
		a.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) handleMe(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	if p == nil {
		a.error(w, r, apperr.New(apperr.Unauthenticated, "err.unauthenticated"))
		return
	}
	writeJSON(w, http.StatusOK, meOf(p))
}
