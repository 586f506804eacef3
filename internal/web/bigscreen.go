package web

import "net/http"

// The big screen (数据大屏): a full-screen 1920×1080 page of its own
// layout, kept live by static/bigscreen.js from the public server-sent
// event stream /api/v1/stats/live; no login, aggregates only.

func (s *Server) handleBigscreen(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.bigscreen")
	live, err := s.stats.Live(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Data = live
	s.renderScreen(w, r, http.StatusOK, "bigscreen", v)
}
