package feedback

import (
	"context"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// CallbackReason is why a case is called back (回访).
type CallbackReason string

// The reasons.
const (
	Sampled    CallbackReason = "sample" // drawn from the previous working day's completed cases
	PoorRating CallbackReason = "poor"   // every real-name 差评 is called back
)

// CallbackStatus is where a callback stands.
type CallbackStatus string

// The callback statuses.
const (
	CallbackPending     CallbackStatus = "pending"
	CallbackDone        CallbackStatus = "done"        // the applicant answered the script
	CallbackUnreachable CallbackStatus = "unreachable" // nobody answered
)

// Call is one call to an applicant after a case (回访), with the
// script's answers. The applicant's phone is not kept here: the operator
// reads it from the case, and that read is audited.
type Call struct {
	ID          int64          `json:"id"`
	Day         calendar.Date  `json:"day"` // the working day the call is due
	Reason      CallbackReason `json:"reason"`
	RatingID    int64          `json:"ratingId,omitempty"` // the 差评 called back
	CaseNo      string         `json:"caseNo"`
	ItemCode    string         `json:"itemCode"`
	ItemName    string         `json:"itemName"`
	Department  string         `json:"department"`
	Applicant   string         `json:"applicant"`
	Visits      int            `json:"visits"` // visits recorded on the case when the task was made
	DecidedAt   time.Time      `json:"decidedAt,omitzero"`
	Status      CallbackStatus `json:"status"`
	Answers     Answers        `json:"answers,omitzero"`
	Operator    string         `json:"operator,omitempty"`
	CreatedAt   time.Time      `json:"createdAt"`
	CompletedAt time.Time      `json:"completedAt,omitzero"`
}

// Answers are the callback script's questions: 服务态度, 办事效率, whether
// another trip was needed (which counts against realization), suggestions.
type Answers struct {
	Attitude    Level  `json:"attitude,omitempty"`
	Efficiency  Level  `json:"efficiency,omitempty"`
	AnotherTrip bool   `json:"anotherTrip"`
	Suggestions string `json:"suggestions,omitempty"`
}

// Script lists the callback questions, as message keys, in the order the
// operator reads them.
var Script = []string{"callback.q.attitude", "callback.q.efficiency", "callback.q.trip", "callback.q.suggestions"}

// CallbackStore keeps callback tasks; writes take their audit entry.
type CallbackStore interface {
	// CreateCallbacks stores the tasks that do not exist yet (one per
	// case and reason, and per rating) and returns how many it stored.
	CreateCallbacks(ctx context.Context, list []Call, a audit.Entry) (int, error)
	Callbacks(ctx context.Context, f CallbackFilter) ([]Call, error)
	Callback(ctx context.Context, id int64) (Call, error)
	// FinishCallback stores c if it is still pending (a Conflict otherwise).
	FinishCallback(ctx context.Context, c *Call, a audit.Entry) error
	// AppendAudit records a read of personal data.
	AppendAudit(ctx context.Context, a audit.Entry) error
}

// CallbackFilter selects callbacks by due day in [From, To) and department.
type CallbackFilter struct {
	From, To   calendar.Date
	Department string
	Status     CallbackStatus
}

// Callbacks makes, lists and records callbacks (回访).
type Callbacks struct {
	fb     *Service
	store  CallbackStore
	sample float64
}

// DefaultSample is the share of completed cases called back.
const DefaultSample = 0.10

// NewCallbacks returns the callback service over fb's data; sample is the
// share of completed cases called back (0 or less: DefaultSample).
func NewCallbacks(fb *Service, store CallbackStore, sample float64) *Callbacks {
	if sample <= 0 || sample > 1 {
		sample = DefaultSample
	}
	return &Callbacks{fb: fb, store: store, sample: sample}
}

// Sample is the share of completed cases called back.
func (c *Callbacks) Sample() float64 { return c.sample }

// CreateDue makes the callback tasks of the working day of at: a sample
// of the cases completed since the previous working day began, and every
// real-name 差评 given since then. On a day off it does nothing; running
// it again on the same day adds nothing.
func (c *Callbacks) CreateDue(ctx context.Context, at time.Time) (int, error) {
	cal, today := c.fb.calendar.Current(), calendar.DateOf(at)
	if !cal.IsWorkday(today) {
		return 0, nil
	}
	prev := today.AddDays(-1)
	for i := 0; i < 30 && !cal.IsWorkday(prev); i++ {
		prev = prev.AddDays(-1)
	}
	from, to := prev.In(calendar.Shanghai), today.In(calendar.Shanghai)
	done, err := c.fb.store.DecidedCases(ctx, MetricsFilter{From: from, To: to})
	if err != nil {
		return 0, err
	}
	list := c.sampled(today, done, at)
	poor, err := c.fb.store.Ratings(ctx, RatingFilter{From: from, To: to, PoorOnly: true, Limit: 1 << 20})
	if err != nil {
		return 0, err
	}
	for _, r := range poor {
		if r.RealName && r.Valid {
			list = append(list, Call{Day: today, Reason: PoorRating, RatingID: r.ID, CaseNo: r.CaseNo, ItemCode: r.ItemCode,
				ItemName: r.ItemName, Department: r.Department, Applicant: r.RaterName, Status: CallbackPending, CreatedAt: at})
		}
	}
	if len(list) == 0 {
		return 0, nil
	}
	return c.store.CreateCallbacks(ctx, list, audit.New(audit.System, "callback.create", "callback", today.String()))
}

// sampled draws ⌈sample × n⌉ of the cases, the same ones on every run: the
// cases whose hash of day and number is lowest.
func (c *Callbacks) sampled(day calendar.Date, cs []cases.Case, at time.Time) []Call {
	hash := func(no string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(day.String() + "|" + no))
		return h.Sum64()
	}
	slices.SortFunc(cs, func(a, b cases.Case) int { return compareU64(hash(a.No), hash(b.No)) })
	n := int(math.Ceil(c.sample * float64(len(cs))))
	out := make([]Call, 0, n)
	for _, x := range cs[:n] {
		out = append(out, Call{Day: day, Reason: Sampled, CaseNo: x.No, ItemCode: x.ItemCode, ItemName: x.ItemName,
			Department: x.Department, Applicant: x.Applicant.Name, Visits: x.Visits, DecidedAt: x.DecidedAt,
			Status: CallbackPending, CreatedAt: at})
	}
	return out
}

func compareU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// List is the callbacks due in [from, to) for a supervisor (the callback
// operators of the supervision office).
func (c *Callbacks) List(ctx context.Context, p *identity.Principal, f CallbackFilter) ([]Call, error) {
	if err := mayCall(p); err != nil {
		return nil, err
	}
	return c.store.Callbacks(ctx, f)
}

// Open returns a callback with the applicant's phone to call. Reading
// the phone is a read of personal data, so it is audited.
func (c *Callbacks) Open(ctx context.Context, p *identity.Principal, id int64) (Call, string, error) {
	if err := mayCall(p); err != nil {
		return Call{}, "", err
	}
	cb, err := c.store.Callback(ctx, id)
	if err != nil {
		return cb, "", err
	}
	cs, err := c.fb.cases.Case(ctx, cb.CaseNo)
	if err != nil {
		return cb, "", err
	}
	a := audit.New(p.Actor(), "personal.read", "case", cb.CaseNo).With("callback " + itoa(cb.ID))
	if err := c.store.AppendAudit(ctx, a); err != nil {
		return cb, "", err
	}
	return cb, cs.Applicant.Phone, nil
}

// Record stores the outcome of a callback: the answers, or unreachable.
func (c *Callbacks) Record(ctx context.Context, p *identity.Principal, id int64, unreachable bool, ans Answers) (Call, error) {
	if err := mayCall(p); err != nil {
		return Call{}, err
	}
	cb, err := c.store.Callback(ctx, id)
	if err != nil {
		return cb, err
	}
	if cb.Status != CallbackPending {
		return cb, apperr.New(apperr.Conflict, "err.callback.done")
	}
	cb.Status = CallbackUnreachable
	if !unreachable {
		if !ans.Attitude.Valid() || !ans.Efficiency.Valid() {
			return cb, apperr.Field("attitude", "err.callback.answers")
		}
		ans.Suggestions = strings.TrimSpace(ans.Suggestions)
		cb.Status, cb.Answers = CallbackDone, ans
	}
	cb.Operator, cb.CompletedAt = p.Username, c.fb.now()
	a := audit.New(p.Actor(), "callback."+string(cb.Status), "callback", itoa(cb.ID)).With(cb.CaseNo)
	return cb, c.store.FinishCallback(ctx, &cb, a)
}

func mayCall(p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if !p.Can(identity.PermSupervise) || !p.Can(identity.PermPersonalRead) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// CallbackMetrics are the callback figures of a period (formulas in
// docs/metrics.md).
type CallbackMetrics struct {
	CallbackTasks        int     `json:"callbackTasks"`        // callbacks due in the period
	CallbacksDone        int     `json:"callbacksDone"`        // … answered
	CallbacksUnreachable int     `json:"callbacksUnreachable"` // … nobody answered
	CallbackCoverage     float64 `json:"callbackCoverage"`     // 回访率 = CallbacksDone / CallbackTasks
	AnotherTrip          int     `json:"anotherTrip"`          // answered callbacks that needed another trip
	AnotherTripShare     float64 `json:"anotherTripShare"`     // AnotherTrip / CallbacksDone
	ReportedExtraTrips   int     `json:"reportedExtraTrips"`   // completed cases with ≤ 1 recorded visit the applicant said needed more
}

// Report is the metrics of a period with the callback figures. Its
// realization rate counts a completed case as not realized when the
// applicant said on its callback that another trip was needed, however
// few visits the hall recorded.
type Report struct {
	Metrics
	CallbackMetrics
}

// Report computes the metrics for p as Service.Metrics does, with the
// callback figures.
func (c *Callbacks) Report(ctx context.Context, p *identity.Principal, f MetricsFilter) (Report, error) {
	m, err := c.fb.Metrics(ctx, p, f)
	if err != nil {
		return Report{}, err
	}
	return c.withCallbacks(ctx, m)
}

// SystemReport computes the metrics for the system's own use (the
// monthly assessment), without a principal.
func (c *Callbacks) SystemReport(ctx context.Context, f MetricsFilter) (Report, error) {
	m, err := c.fb.compute(ctx, f)
	if err != nil {
		return Report{}, err
	}
	return c.withCallbacks(ctx, m)
}

func (c *Callbacks) withCallbacks(ctx context.Context, m Metrics) (Report, error) {
	f := m.Filter
	var from, to calendar.Date
	if !f.From.IsZero() {
		from = calendar.DateOf(f.From)
	}
	if !f.To.IsZero() {
		to = calendar.DateOf(f.To.Add(-time.Microsecond)).AddDays(1)
	}
	due, err := c.store.Callbacks(ctx, CallbackFilter{From: from, To: to, Department: f.Department})
	if err != nil {
		return Report{}, err
	}
	r := Report{Metrics: m}
	r.addDue(due, f.ItemCode)
	later, err := c.store.Callbacks(ctx, CallbackFilter{From: from, Department: f.Department, Status: CallbackDone})
	if err != nil {
		return Report{}, err
	}
	r.adjustRealization(later, f)
	return r, nil
}

func (r *Report) addDue(list []Call, item string) {
	for _, cb := range list {
		if item != "" && cb.ItemCode != item {
			continue
		}
		r.CallbackTasks++
		switch cb.Status {
		case CallbackDone:
			r.CallbacksDone++
			if cb.Answers.AnotherTrip {
				r.AnotherTrip++
			}
		case CallbackUnreachable:
			r.CallbacksUnreachable++
		}
	}
	r.CallbackCoverage = ratio(r.CallbacksDone, r.CallbackTasks)
	r.AnotherTripShare = ratio(r.AnotherTrip, r.CallbacksDone)
}

// adjustRealization moves the completed cases of the period that the hall
// counted as realized but whose applicant reported another trip.
func (r *Report) adjustRealization(done []Call, f MetricsFilter) {
	seen := map[string]bool{}
	for _, cb := range done {
		if !cb.Answers.AnotherTrip || cb.Visits > 1 || cb.DecidedAt.IsZero() || !inPeriod(cb.DecidedAt, f) ||
			(f.ItemCode != "" && cb.ItemCode != f.ItemCode) || seen[cb.CaseNo] {
			continue
		}
		seen[cb.CaseNo] = true
		r.ReportedExtraTrips++
	}
	r.AtMostOneVisit = max(0, r.AtMostOneVisit-r.ReportedExtraTrips)
	r.RealizationRate = ratio(r.AtMostOneVisit, r.Completed)
}
