// Package feedback is the evaluation loop of "最多跑一次": ratings of cases
// (好差评) online and on site, the rectification of bad ratings by the
// department that handled the case (谁办理、谁负责), and the metrics that
// show how often a case needed at most one visit and how satisfied
// applicants were.
package feedback

import (
	"slices"
	"time"

	"onevisit/internal/calendar"
)

// Level is a rating from 1 (非常不满意) to 5 (非常满意).
type Level int

// The levels; 1 and 2 are 差评.
const (
	VeryBad  Level = 1 // 非常不满意
	Bad      Level = 2 // 不满意
	Fair     Level = 3 // 基本满意
	Good     Level = 4 // 满意
	VeryGood Level = 5 // 非常满意
)

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= VeryBad && l <= VeryGood }

// Poor reports whether l is a 差评, which needs a reason and opens a
// rectification task.
func (l Level) Poor() bool { return l == VeryBad || l == Bad }

// Mode is the evaluation rule a rating follows.
type Mode string

// The modes.
const (
	Online Mode = "online" // 网上 "一事一评": once per case
	OnSite Mode = "onsite" // 现场 "一次一评": once per visit (ticket)
)

// Source is where a rating was given.
type Source string

// The sources.
const (
	CasePage Source = "page" // the applicant's case page
	Pad      Source = "pad"  // the evaluation pad at the window (评价器)
	SMS      Source = "sms"  // a signed link sent by SMS
)

// Indicators are the sub-scores (1–5) of each mode, after a province's
// specification: online 办事效率, 办事指南精确度, 办事便捷度, 平台操作性;
// on site 服务效率, 服务水平, 服务态度.
var Indicators = map[Mode][]string{
	Online: {"efficiency", "guide_accuracy", "convenience", "usability"},
	OnSite: {"service_efficiency", "service_level", "service_attitude"},
}

// Labels are the reasons an evaluator may pick for a 差评 (评价明细标签).
var Labels = []string{"slow", "guide_unclear", "repeat_trips", "attitude", "system", "policy", "other"}

// Rating is one evaluation of a case (好差评). An anonymous rating keeps no
// trace of its rater.
type Rating struct {
	ID         int64          `json:"id"`
	CaseNo     string         `json:"caseNo"`
	ItemCode   string         `json:"itemCode"`
	ItemName   string         `json:"itemName"`
	Department string         `json:"department"`
	Mode       Mode           `json:"mode"`
	Source     Source         `json:"source"`
	Ticket     string         `json:"ticket,omitempty"` // the visit rated on site
	Window     string         `json:"window,omitempty"`
	Level      Level          `json:"level"`
	Indicators map[string]int `json:"indicators,omitempty"`
	Labels     []string       `json:"labels,omitempty"`
	Text       string         `json:"text,omitempty"`
	RealName   bool           `json:"realName"`
	RaterID    int64          `json:"raterId,omitempty"`   // real-name only
	RaterName  string         `json:"raterName,omitempty"` // real-name only
	Valid      bool           `json:"valid"`               // false once excluded after 申诉复核
	CreatedAt  time.Time      `json:"createdAt"`
}

// Class is how a rectification is handled (national categories).
type Class string

// The classes.
const (
	Immediate Class = "immediate" // 情况清楚、诉求合理 → 立行立改
	Ledger    Class = "ledger"    // 情况复杂、一时难以解决 → 建立台账、限期整改
	Explain   Class = "explain"   // 缺乏法定依据 → 解释说明
	Appeal    Class = "appeal"    // 误评/不实差评 → 申诉复核 (a supervisor decides)
)

// Classes lists the classes in the order forms offer them.
var Classes = []Class{Immediate, Ledger, Explain, Appeal}

// TaskStatus is where a rectification task stands.
type TaskStatus string

// The task statuses.
const (
	TaskOpen     TaskStatus = "open"     // the department is working on it
	TaskReview   TaskStatus = "review"   // an appeal waits for a supervisor
	TaskClosed   TaskStatus = "closed"   // rectified or explained, with an outcome
	TaskExcluded TaskStatus = "excluded" // appeal upheld: the rating no longer counts
)

// Done reports whether the task needs no more work.
func (s TaskStatus) Done() bool { return s == TaskClosed || s == TaskExcluded }

// Task is the rectification of one 差评 (差评整改), owned by the department
// that handled the case.
type Task struct {
	ID         int64         `json:"id"`
	RatingID   int64         `json:"ratingId"`
	CaseNo     string        `json:"caseNo"`
	ItemCode   string        `json:"itemCode"`
	ItemName   string        `json:"itemName"`
	Department string        `json:"department"`
	Level      Level         `json:"level"`
	Reason     string        `json:"reason"` // the rater's labels and text, as shown to the department
	RealName   bool          `json:"realName"`
	Class      Class         `json:"class,omitempty"`
	Status     TaskStatus    `json:"status"`
	DueOn      calendar.Date `json:"dueOn"`
	Overdue    bool          `json:"overdue"` // escalated: not done by DueOn
	OverdueAt  time.Time     `json:"overdueAt,omitzero"`
	Callback   string        `json:"callback,omitempty"` // what the rater said when called back (回访)
	Outcome    string        `json:"outcome,omitempty"`
	ReRating   Level         `json:"reRating,omitempty"` // the rater's rating of the rectification
	Review     string        `json:"review,omitempty"`   // the supervisor's note on an appeal
	History    []Step        `json:"history,omitempty"`
	CreatedAt  time.Time     `json:"createdAt"`
	ClosedAt   time.Time     `json:"closedAt,omitzero"`
}

// Step is one entry of a task's history.
type Step struct {
	At    time.Time `json:"at"`
	By    string    `json:"by"`
	What  string    `json:"what"`
	Note  string    `json:"note,omitempty"`
	Class Class     `json:"class,omitempty"`
}

// validIndicators reports whether every indicator belongs to the mode's
// set and scores 1–5.
func validIndicators(m Mode, ind map[string]int) bool {
	for k, v := range ind {
		if !slices.Contains(Indicators[m], k) || v < 1 || v > 5 {
			return false
		}
	}
	return true
}
