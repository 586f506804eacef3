package web

import (
	"net/http"
	"strconv"

	"onevisit/internal/apperr"
	"onevisit/internal/outbox"
)

// The outbox page: the newest SMS and email messages to applicants with
// their delivery state, recipients masked, filtered by status; failed
// messages can be retried.

// outboxData is what the outbox page gets.
type outboxData struct {
	Messages []outbox.Message
	Counts   map[outbox.Status]int
	Total    int
	Status   outbox.Status // the filter; "" for all
	Statuses []outbox.Status
}

// withOutbox answers 404 when the server has no outbox service.
func (s *Server) withOutbox(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.outbox == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) {
	status := outbox.Status(r.URL.Query().Get("status"))
	list, counts, err := s.outbox.List(r.Context(), principalOf(r.Context()), status)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	v := s.newView(w, r, "title.outbox")
	if f := r.URL.Query().Get("done"); f == "flash.outbox_retried" {
		v.Flash = f
	}
	v.Data = outboxData{Messages: list, Counts: counts, Total: total, Status: status, Statuses: outbox.Statuses}
	s.render(w, r, http.StatusOK, "outbox", v)
}

func (s *Server) handleOutboxRetry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.outbox.not_found"))
		return
	}
	if err := s.outbox.Retry(r.Context(), principalOf(r.Context()), id); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/outbox?status=pending&done=flash.outbox_retried", http.StatusSeeOther)
}
