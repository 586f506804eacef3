package web

import (
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/escalation"
	"onevisit/internal/identity"
)

// The board of unfinished matters (办不成事): every open report with its
// level and deadline, a form to file one, and resolution forms.

// escalationData is what the board gets.
type escalationData struct {
	Reports   []escalation.Report
	Causes    []escalation.Cause
	Deadlines []int
	Status    escalation.Status
	Today     calendar.Date
	CanFile   bool
	CanSolve  func(escalation.Report) bool
}

// withEscalation answers 404 when the server has no escalation service.
func (s *Server) withEscalation(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.escalation == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

func (s *Server) handleEscalations(w http.ResponseWriter, r *http.Request) {
	s.escalationBoard(w, r, http.StatusOK, nil)
}

func (s *Server) escalationBoard(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	p := principalOf(r.Context())
	st := escalation.Status(r.URL.Query().Get("status"))
	if st != escalation.Resolved {
		st = escalation.Open
	}
	list, err := s.escalation.Reports(r.Context(), p, st)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.escalations")
	v.Flash = flashParam(r)
	if formErr != nil {
		loc := s.msgs.Error(v.Lang, formErr)
		v.Error, v.Form = &loc, r.PostForm
	}
	v.Data = escalationData{Reports: list, Causes: escalation.Causes, Deadlines: s.escalation.Deadlines(), Status: st,
		Today: calendar.DateOf(time.Now()), CanFile: p.Can(identity.PermEscalate),
		CanSolve: func(rep escalation.Report) bool {
			return rep.Status == escalation.Open && (p.Can(identity.PermSupervise) || (rep.Level == escalation.Zone && p.Can(identity.PermEscalate)))
		}}
	s.render(w, r, status, "escalation_board", v)
}

func (s *Server) handleEscalationFile(w http.ResponseWriter, r *http.Request) {
	in := escalation.Input{CaseNo: r.PostFormValue("case_no"), ItemName: r.PostFormValue("item"), Visitor: r.PostFormValue("visitor"),
		Phone: r.PostFormValue("phone"), Cause: escalation.Cause(r.PostFormValue("cause")), Description: r.PostFormValue("description")}
	_, err := s.escalation.File(r.Context(), principalOf(r.Context()), in)
	s.escalationResult(w, r, err, "flash.escalation_filed")
}

func (s *Server) handleEscalationResolve(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	in := escalation.Resolution{Resolution: r.PostFormValue("resolution"), Negative: r.PostFormValue("negative") == "1",
		Reason: r.PostFormValue("reason")}
	_, err := s.escalation.Resolve(r.Context(), principalOf(r.Context()), id, in)
	s.escalationResult(w, r, err, "flash.escalation_resolved")
}

// escalationResult redirects after a successful form, or shows the board
// again with the error and the submitted values.
func (s *Server) escalationResult(w http.ResponseWriter, r *http.Request, err error, flash string) {
	if err == nil {
		http.Redirect(w, r, "/escalations?done="+flash, http.StatusSeeOther)
		return
	}
	if k := kindOf(err); k == apperr.Invalid || k == apperr.Conflict {
		s.escalationBoard(w, r, errStatus[k], err)
		return
	}
	s.renderError(w, r, err)
}
