package web

import (
	"net/http"
	"strings"
	"time"

	"onevisit/internal/i18n"
)

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if principalOf(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	v := s.newView(w, r, "title.login")
	v.Form.Set("next", r.URL.Query().Get("next"))
	s.render(w, r, http.StatusOK, "login", v)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	username, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	token, sess, _, err := s.ids.Login(r.Context(), username, password, "web", clientIP(r))
	if err != nil {
		v := s.newView(w, r, "title.login")
		loc := s.msgs.Error(v.Lang, err)
		v.Error = &loc
		v.Form.Set("username", username)
		v.Form.Set("next", r.PostFormValue("next"))
		s.render(w, r, errStatus[kindOf(err)], "login", v)
		return
	}
	s.setCookie(w, cookieSession, token, time.Until(sess.ExpiresAt))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieSession); err == nil {
		if err := s.ids.Logout(r.Context(), principalOf(r.Context()), c.Value); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.clearCookie(w, cookieSession)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handlePrefs switches the language or the large-type mode.
func (s *Server) handlePrefs(w http.ResponseWriter, r *http.Request) {
	const year = 365 * 24 * time.Hour
	if l := r.PostFormValue("lang"); l != "" {
		s.setCookie(w, cookieLang, string(i18n.Parse(l)), year)
	}
	switch r.PostFormValue("large") {
	case "1":
		s.setCookie(w, cookieLarge, "1", year)
	case "0":
		s.clearCookie(w, cookieLarge)
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
}
