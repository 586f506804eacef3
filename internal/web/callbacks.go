package web

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/analytics"
	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/feedback"
)

// Callback pages (回访): today's list for the supervision office's
// operators, and one call with the applicant's phone (an audited read of
// personal data), the script and the answer form.

// callbackData is what the callback pages get.
type callbackData struct {
	Day    calendar.Date
	Calls  []feedback.Call
	Call   feedback.Call
	Phone  string
	Script []string
	Levels []feedback.Level
	Names  analytics.Names // department names
}

// withAssessment answers 404 when callbacks and assessment are not wired.
func (s *Server) withAssessment(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.callbacks == nil || s.assess == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

func (s *Server) handleCallbacks(w http.ResponseWriter, r *http.Request) {
	day := calendar.DateOf(time.Now())
	list, err := s.callbacks.List(r.Context(), principalOf(r.Context()), feedback.CallbackFilter{From: day, To: day.AddDays(1)})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.callbacks")
	v.Flash = r.URL.Query().Get("done")
	v.Data = callbackData{Day: day, Calls: list, Names: s.namesFor(r.Context())}
	s.render(w, r, http.StatusOK, "callbacks", v)
}

func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	s.callbackPage(w, r, http.StatusOK, nil)
}

// callbackPage shows one call with the phone to dial, and formErr above
// the form when an answer was refused.
func (s *Server) callbackPage(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, phone, err := s.callbacks.Open(r.Context(), principalOf(r.Context()), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.callback")
	v.Data = callbackData{Call: c, Phone: phone, Script: feedback.Script, Levels: []feedback.Level{5, 4, 3, 2, 1}, Names: s.namesFor(r.Context())}
	if formErr != nil {
		loc := s.msgs.Error(v.Lang, formErr)
		v.Error, v.Form = &loc, r.PostForm
	}
	s.render(w, r, status, "callback", v)
}

func (s *Server) handleCallbackRecord(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	att, _ := strconv.Atoi(r.PostFormValue("attitude"))
	eff, _ := strconv.Atoi(r.PostFormValue("efficiency"))
	ans := feedback.Answers{Attitude: feedback.Level(att), Efficiency: feedback.Level(eff),
		AnotherTrip: r.PostFormValue("trip") == "1", Suggestions: r.PostFormValue("suggestions")}
	_, err := s.callbacks.Record(r.Context(), principalOf(r.Context()), id, r.PostFormValue("unreachable") == "1", ans)
	switch k := kindOf(err); {
	case err == nil:
		http.Redirect(w, r, "/callbacks?done=flash.callback_recorded", http.StatusSeeOther)
	case k == apperr.Invalid || k == apperr.Conflict:
		s.callbackPage(w, r, errStatus[k], err)
	default:
		s.renderError(w, r, err)
	}
}
