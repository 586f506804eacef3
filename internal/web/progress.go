package web

import "net/http"

// handleProgress is the public progress page (办件进度查询): a case number
// and the last six characters of the applicant's ID number or USCC show a
// masked status, without logging in.
func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.progress")
	q := r.URL.Query()
	v.Form.Set("no", q.Get("no"))
	status := http.StatusOK
	if q.Get("no") != "" {
		ps, err := s.cases.Progress(r.Context(), q.Get("no"), q.Get("code"))
		if err != nil {
			loc := s.msgs.Error(v.Lang, err)
			v.Error, status = &loc, errStatus[kindOf(err)]
		} else {
			v.Data = &ps
		}
	}
	s.render(w, r, status, "progress", v)
}
