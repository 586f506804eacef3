package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/feedback"
)

// Feedback pages: the applicant's rating form (/cases/{no}/rate), the same
// form behind a signed SMS link (/rate/{token}, no login), a department's
// rectification tasks and the supervisors' board.

// rateData is what the rating form gets.
type rateData struct {
	Case       cases.Case
	Action     string // where the form posts
	Indicators []string
	Labels     []string
	Levels     []feedback.Level
	Rated      []feedback.Rating // ratings already given online
	Rateable   bool
}

// withFeedback answers 404 when the server has no feedback service.
func (s *Server) withFeedback(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.feedback == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

func (s *Server) handleRateForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.cases.Case(r.Context(), principalOf(r.Context()), r.PathValue("no"))
	if err == nil && !c.OwnedBy(principalOf(r.Context())) {
		err = apperr.New(apperr.Forbidden, "err.rating.staff")
	}
	s.rateForm(w, r, c, "/cases/"+c.No+"/rate", err, nil)
}

func (s *Server) handleRate(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("no")
	_, err := s.feedback.Rate(r.Context(), principalOf(r.Context()), no, ratingInput(r))
	if err == nil {
		http.Redirect(w, r, "/cases/"+no+"?done=flash.rated", http.StatusSeeOther)
		return
	}
	c, cerr := s.cases.Case(r.Context(), principalOf(r.Context()), no)
	s.rateForm(w, r, c, "/cases/"+no+"/rate", cerr, err)
}

func (s *Server) handleRateLinkForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.feedback.LinkCase(r.Context(), r.PathValue("token"))
	s.rateForm(w, r, c, "/rate/"+r.PathValue("token"), err, nil)
}

func (s *Server) handleRateLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := s.feedback.RateByLink(r.Context(), token, ratingInput(r))
	if err == nil {
		v := s.newView(w, r, "title.rate")
		v.Flash = "flash.rated"
		v.Data = rateData{}
		s.render(w, r, http.StatusOK, "rate", v)
		return
	}
	c, cerr := s.feedback.LinkCase(r.Context(), token)
	s.rateForm(w, r, c, "/rate/"+token, cerr, err)
}

// rateForm shows the rating form of c, or pageErr as an error page, with
// formErr (a refused rating) above the form.
func (s *Server) rateForm(w http.ResponseWriter, r *http.Request, c cases.Case, action string, pageErr, formErr error) {
	if pageErr != nil {
		s.renderError(w, r, pageErr)
		return
	}
	rated, err := s.feedback.CaseRatings(r.Context(), &c)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := rateData{Case: c, Action: action, Indicators: feedback.Indicators[feedback.Online], Labels: feedback.Labels,
		Levels: []feedback.Level{5, 4, 3, 2, 1}, Rateable: feedback.Rateable(&c)}
	for _, x := range rated {
		if x.Mode == feedback.Online {
			d.Rated = append(d.Rated, x)
		}
	}
	v := s.newView(w, r, "title.rate")
	v.Data = d
	status := http.StatusOK
	if formErr != nil {
		loc := s.msgs.Error(v.Lang, formErr)
		v.Error, v.Form, status = &loc, r.PostForm, errStatus[kindOf(formErr)]
	}
	s.render(w, r, status, "rate", v)
}

// ratingInput reads the rating form.
func ratingInput(r *http.Request) feedback.Input {
	_ = r.ParseForm()
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	in := feedback.Input{Level: feedback.Level(level), Labels: r.PostForm["label"], Text: r.PostFormValue("text"),
		RealName: r.PostFormValue("realname") == "1", Indicators: map[string]int{}}
	for _, k := range feedback.Indicators[feedback.Online] {
		if n, err := strconv.Atoi(r.PostFormValue("ind_" + k)); err == nil && n > 0 {
			in.Indicators[k] = n
		}
	}
	return in
}

// tasksData is what the rectification task list gets.
type tasksData struct {
	Tasks   []feedback.Task
	Classes []feedback.Class
	Status  string
	Today   calendar.Date
}

func (s *Server) handleTasks(w http.ResponseWriter, r *http.Request) {
	f := feedback.TaskFilter{}
	status := r.URL.Query().Get("status")
	switch status {
	case "", "open":
		status, f.Statuses = "open", []feedback.TaskStatus{feedback.TaskOpen, feedback.TaskReview}
	case "done":
		f.Statuses = []feedback.TaskStatus{feedback.TaskClosed, feedback.TaskExcluded}
	}
	list, err := s.feedback.Tasks(r.Context(), principalOf(r.Context()), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.tasks")
	v.Flash = flashParam(r)
	v.Data = tasksData{Tasks: list, Classes: feedback.Classes, Status: status, Today: calendar.DateOf(time.Now())}
	s.render(w, r, http.StatusOK, "feedback_tasks", v)
}

func (s *Server) handleTaskAct(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	re, _ := strconv.Atoi(r.PostFormValue("rerating"))
	in := feedback.TaskInput{Action: feedback.TaskAction(r.PostFormValue("action")), Class: feedback.Class(r.PostFormValue("class")),
		Note: r.PostFormValue("note"), ReRating: feedback.Level(re)}
	if _, err := s.feedback.Act(r.Context(), principalOf(r.Context()), id, in); err != nil {
		s.renderError(w, r, err)
		return
	}
	back := "/feedback/tasks"
	if strings.HasPrefix(r.PostFormValue("back"), "/feedback") {
		back = r.PostFormValue("back")
	}
	http.Redirect(w, r, back+"?done=flash.task_saved", http.StatusSeeOther)
}

// boardData is the supervisors' board.
type boardData struct {
	Month   feedback.Metrics
	Overdue []feedback.Task
	Review  []feedback.Task
	Poor    []feedback.Rating
	From    calendar.Date
}

// ReviewActions are a supervisor's answers to an appeal.
func (boardData) ReviewActions() []feedback.TaskAction {
	return []feedback.TaskAction{feedback.Uphold, feedback.Reject}
}

func (s *Server) handleFeedbackBoard(w http.ResponseWriter, r *http.Request) {
	p, ctx := principalOf(r.Context()), r.Context()
	now := time.Now().In(calendar.Shanghai)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, calendar.Shanghai)
	var d boardData
	var err error
	d.From = calendar.DateOf(from)
	d.Month, err = s.feedback.Metrics(ctx, p, feedback.MetricsFilter{From: from, To: from.AddDate(0, 1, 0)})
	if err == nil {
		d.Overdue, err = s.feedback.Tasks(ctx, p, feedback.TaskFilter{Overdue: true, Statuses: []feedback.TaskStatus{feedback.TaskOpen, feedback.TaskReview}})
	}
	if err == nil {
		d.Review, err = s.feedback.Tasks(ctx, p, feedback.TaskFilter{Statuses: []feedback.TaskStatus{feedback.TaskReview}})
	}
	if err == nil {
		d.Poor, err = s.feedback.Ratings(ctx, p, feedback.RatingFilter{PoorOnly: true, Limit: 20})
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.feedback_board")
	v.Flash = flashParam(r)
	v.Data = d
	s.render(w, r, http.StatusOK, "feedback_board", v)
}

// Pct formats a rate as a percentage with one decimal.
func (boardData) Pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

// Days formats a number of working days with one decimal.
func (boardData) Days(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
