package feedback

import (
	"context"
	"slices"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/identity"
)

// newTask opens the rectification of a 差评 for the department that
// handled the case, due RectifyDays working days later by the calendar.
func (s *Service) newTask(r *Rating) *Task {
	reason := strings.Join(r.Labels, ", ")
	if r.Text != "" {
		reason = strings.TrimPrefix(reason+"; "+r.Text, "; ")
	}
	due := s.calendar.Current().Due(calendar.DateOf(r.CreatedAt), 2*s.cfg.RectifyDays)
	return &Task{CaseNo: r.CaseNo, ItemCode: r.ItemCode, ItemName: r.ItemName, Department: r.Department, Level: r.Level, Reason: reason,
		RealName: r.RealName, Status: TaskOpen, DueOn: due.Date, CreatedAt: r.CreatedAt,
		History: []Step{{At: r.CreatedAt, By: "system", What: "opened"}}}
}

// TaskAction is a move on a rectification task.
type TaskAction string

// The task actions.
const (
	Classify TaskAction = "classify" // the department picks a class; an appeal goes to review
	Callback TaskAction = "callback" // the department records its call to the rater (回访)
	Close    TaskAction = "close"    // the department closes with the outcome
	Uphold   TaskAction = "uphold"   // a supervisor upholds an appeal: the rating is excluded
	Reject   TaskAction = "reject"   // a supervisor rejects an appeal: back to the department
)

// TaskInput is a task action with what it needs.
type TaskInput struct {
	Action   TaskAction `json:"action"`
	Class    Class      `json:"class,omitempty"`
	Note     string     `json:"note,omitempty"`     // outcome, callback, appeal reason or review note
	ReRating Level      `json:"reRating,omitempty"` // the rater's rating of the rectification
}

// Tasks lists rectification tasks: supervisors see all, a department its own.
func (s *Service) Tasks(ctx context.Context, p *identity.Principal, f TaskFilter) ([]Task, error) {
	switch {
	case p == nil:
		return nil, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case p.Can(identity.PermSupervise):
	case p.Can(identity.PermRectify):
		f.Department = p.DepartmentCode
	default:
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	return s.store.Tasks(ctx, f)
}

// Act moves a task. The department that owns it classifies, calls back
// and closes it; only a supervisor decides an appeal (申诉复核).
func (s *Service) Act(ctx context.Context, p *identity.Principal, id int64, in TaskInput) (Task, error) {
	t, err := s.store.Task(ctx, id)
	if err != nil {
		return Task{}, err
	}
	if err := mayAct(p, &t, in.Action); err != nil {
		return Task{}, err
	}
	from := t.Status
	in.Note = strings.TrimSpace(in.Note)
	if err := apply(&t, in); err != nil {
		return Task{}, err
	}
	now := s.now()
	t.History = append(t.History, Step{At: now, By: p.Username, What: string(in.Action), Note: in.Note, Class: in.Class})
	if t.Status.Done() {
		t.ClosedAt = now
	}
	a := audit.New(p.Actor(), "rectification."+string(in.Action), "rectification", itoa(t.ID)).With(t.CaseNo)
	if err := s.store.UpdateTask(ctx, &t, from, t.Status == TaskExcluded, a); err != nil {
		return Task{}, err
	}
	return t, nil
}

// mayAct checks who may take action on t.
func mayAct(p *identity.Principal, t *Task, action TaskAction) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if action == Uphold || action == Reject {
		return p.Require(identity.PermSupervise)
	}
	if p.Can(identity.PermSupervise) || (p.Can(identity.PermRectify) && p.DepartmentCode == t.Department) {
		return nil
	}
	return apperr.New(apperr.NotFound, "err.task.not_found")
}

// apply changes t by in, or says why it cannot.
func apply(t *Task, in TaskInput) error {
	conflict := apperr.New(apperr.Conflict, "err.task.state")
	switch in.Action {
	case Classify:
		if t.Status != TaskOpen {
			return conflict
		}
		if !slices.Contains(Classes, in.Class) {
			return apperr.Field("class", "err.task.class")
		}
		if in.Class == Appeal && in.Note == "" {
			return apperr.Field("note", "err.task.appeal_reason")
		}
		t.Class = in.Class
		if in.Class == Appeal {
			t.Status = TaskReview
		}
	case Callback:
		if t.Status.Done() || in.Note == "" {
			return apperr.Field("note", "err.task.note_required")
		}
		t.Callback = in.Note
	case Close:
		return closeTask(t, in)
	case Uphold, Reject:
		if t.Status != TaskReview {
			return conflict
		}
		if in.Note == "" {
			return apperr.Field("note", "err.task.note_required")
		}
		t.Review, t.Status = in.Note, TaskExcluded
		if in.Action == Reject {
			t.Status, t.Class = TaskOpen, ""
		}
	default:
		return apperr.Field("action", "err.task.action")
	}
	return nil
}

// closeTask closes t with its outcome; a task must be classified first and
// an appeal is closed only by a supervisor's review.
func closeTask(t *Task, in TaskInput) error {
	if t.Status != TaskOpen || t.Class == "" || t.Class == Appeal {
		return apperr.New(apperr.Conflict, "err.task.classify_first")
	}
	if in.Note == "" {
		return apperr.Field("note", "err.task.outcome_required")
	}
	if in.ReRating != 0 && !in.ReRating.Valid() {
		return apperr.Field("reRating", "err.rating.level")
	}
	t.Outcome, t.ReRating, t.Status = in.Note, in.ReRating, TaskClosed
	return nil
}

// MarkOverdue flags every unfinished task whose deadline passed before
// the day of at, and returns how many it flagged. Flagged tasks show on
// the supervisors' board; running it again changes nothing.
func (s *Service) MarkOverdue(ctx context.Context, at time.Time) (int, error) {
	today := calendar.DateOf(at)
	list, err := s.store.Tasks(ctx, TaskFilter{Statuses: []TaskStatus{TaskOpen, TaskReview}, DueBefore: today, Limit: 100000})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range list {
		if t.Overdue {
			continue
		}
		t.Overdue, t.OverdueAt = true, at
		t.History = append(t.History, Step{At: at, By: "system", What: "overdue"})
		a := audit.New(audit.System, "rectification.overdue", "rectification", itoa(t.ID)).With(t.DueOn.String())
		if err := s.store.UpdateTask(ctx, &t, t.Status, false, a); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
