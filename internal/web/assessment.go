package web

import (
	"encoding/json"
	"net/http"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/assessment"
	"onevisit/internal/identity"
)

// Assessment pages: the monthly notice (通报) as HTML and PDF, and the
// scorecards a supervisor edits as JSON.

// assessmentData is what the notice page gets.
type assessmentData struct {
	Notice  assessment.Notice
	Metrics []assessment.Metric
	Prev    string // the month before, for the link
	Next    string
	CanEdit bool
}

func (s *Server) handleAssessmentLatest(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/assessment/"+assessment.MonthOf(time.Now()).Prev().String(), http.StatusSeeOther)
}

func (s *Server) handleAssessment(w http.ResponseWriter, r *http.Request) {
	n, m, err := s.notice(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.assessment")
	v.Data = assessmentData{Notice: n, Metrics: assessment.Metrics, Prev: m.Prev().String(),
		Next: assessment.MonthOf(m.End()).String(), CanEdit: v.User.Can(identity.PermSupervise)}
	s.render(w, r, http.StatusOK, "assessment", v)
}

// notice reads the {month} of the path and its notice.
func (s *Server) notice(r *http.Request) (assessment.Notice, assessment.Month, error) {
	m, err := assessment.ParseMonth(r.PathValue("month"))
	if err != nil {
		return assessment.Notice{}, m, err
	}
	n, err := s.assess.Notice(r.Context(), principalOf(r.Context()), m)
	return n, m, err
}

func (s *Server) handleAssessmentPDF(w http.ResponseWriter, r *http.Request) {
	n, _, err := s.notice(r)
	if err == nil && (s.docs == nil || len(n.Scores) == 0) {
		err = apperr.New(apperr.NotFound, "err.assessment.empty")
	}
	var pdf []byte
	if err == nil {
		pdf, err = s.docs.Monthly(n.Document())
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="notice-`+n.Month+`.pdf"`)
	_, _ = w.Write(pdf)
}

func (s *Server) handleAssessmentConfig(w http.ResponseWriter, r *http.Request) {
	c, err := s.assess.Config(r.Context(), principalOf(r.Context()))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	b, _ := json.MarshalIndent(c, "", "  ")
	v := s.newView(w, r, "title.assessment_config")
	v.Flash = r.URL.Query().Get("done")
	v.Form.Set("config", string(b))
	v.Data = assessment.Metrics
	s.render(w, r, http.StatusOK, "assessment_config", v)
}

func (s *Server) handleAssessmentConfigSave(w http.ResponseWriter, r *http.Request) {
	var c assessment.Config
	err := json.Unmarshal([]byte(r.PostFormValue("config")), &c)
	if err != nil {
		err = apperr.Field("config", "err.assessment.json")
	} else {
		_, err = s.assess.SaveConfig(r.Context(), principalOf(r.Context()), c)
	}
	if err == nil {
		http.Redirect(w, r, "/assessment/config?done=flash.assessment_saved", http.StatusSeeOther)
		return
	}
	if apperr.KindOf(err) != apperr.Invalid {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.assessment_config")
	loc := s.msgs.Error(v.Lang, err)
	v.Error, v.Form, v.Data = &loc, r.PostForm, assessment.Metrics
	s.render(w, r, http.StatusUnprocessableEntity, "assessment_config", v)
}
