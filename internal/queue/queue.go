// Package queue is the service hall (办事大厅): halls, zones (办理区) and
// windows, ticket issuing (取号) from the kiosk, a phone or the API, calling
// (叫号) with priority rules that cannot starve the ordinary queue, and the
// live events that drive the hall and window screens.
//
// Names follow JackQChen/QueueSystem where it fits (DOMAIN.md §2.5, §5):
// a Ticket is its BQueueModel, a call's states its TCallStateModel.
package queue

import (
	"time"

	"onevisit/internal/calendar"
)

// Hall is a service hall with its opening hours and screen settings.
type Hall struct {
	ID             int64    `json:"id"`
	Code           string   `json:"code"` // in URLs: /hall/{code}/screen
	Name           string   `json:"name"`
	NameEn         string   `json:"nameEn,omitempty"`
	Opens          string   `json:"opens"`          // HH:MM, Shanghai time
	Closes         string   `json:"closes"`         // HH:MM; "24:00" for midnight
	WorkdaysOnly   bool     `json:"workdaysOnly"`   // open only on working days of the calendar
	MaxPriorityRun int      `json:"maxPriorityRun"` // priority calls in a row a window may make (default 3)
	Voice          bool     `json:"voice"`          // screens speak calls
	VoiceRepeat    int      `json:"voiceRepeat"`    // how often a call is spoken
	Notice         string   `json:"notice"`         // the hall screen's scrolling notice
	Zones          []Zone   `json:"zones"`
	Windows        []Window `json:"windows"`
}

// Zone is a 办理区: a queue of its own with a ticket prefix and a daily cap
// (QueueSystem TBusinessAttributeModel: 票号前缀, 单日排队最多大数).
type Zone struct {
	ID         int64  `json:"id"`
	HallID     int64  `json:"-"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEn     string `json:"nameEn,omitempty"`
	Prefix     string `json:"prefix"`   // one capital letter: A, B …
	DailyCap   int    `json:"dailyCap"` // tickets per day; 0 = 999
	Department string `json:"department,omitempty"`
	Sort       int    `json:"sort"`
}

// WindowKind is a window's business type (窗口业务类型).
type WindowKind string

// The kinds of window.
const (
	Comprehensive WindowKind = "comprehensive" // 综合受理 (无差别全科)
	Special       WindowKind = "special"       // 专窗
	Green         WindowKind = "green"         // 绿色通道: always priority first
	Issuing       WindowKind = "issuing"       // 统一出件
	Consultation  WindowKind = "consultation"  // 咨询补证
)

// WindowKinds lists the kinds in display order.
var WindowKinds = []WindowKind{Comprehensive, Special, Green, Issuing, Consultation}

// WindowState is whether a window is staffed (QueueSystem TCallStateModel).
type WindowState string

// The window states.
const (
	Closed WindowState = "closed" // nobody signed in
	Open   WindowState = "open"   // a clerk is signed in and may call
	Paused WindowState = "paused" // 暂停服务
)

// Window is a counter in the hall, the zones it serves and who staffs it.
type Window struct {
	ID          int64       `json:"id"`
	HallID      int64       `json:"hallId"`
	Number      int         `json:"number"`
	Name        string      `json:"name"`
	Kind        WindowKind  `json:"kind"`
	Zones       []int64     `json:"zones"`
	State       WindowState `json:"state"`
	ClerkID     int64       `json:"-"`
	ClerkName   string      `json:"clerk,omitempty"`
	TicketID    int64       `json:"-"`                // the ticket being served, 0 if none
	Ticket      string      `json:"ticket,omitempty"` // its number, filled for boards
	PriorityRun int         `json:"-"`                // priority calls in a row so far
}

// Serves reports whether the window serves zone.
func (w Window) Serves(zone int64) bool {
	for _, z := range w.Zones {
		if z == zone {
			return true
		}
	}
	return false
}

// Status is a ticket's state.
type Status string

// The ticket states (QueueSystem BCallModel: 已叫号, 已完成, 已弃号).
const (
	Waiting Status = "waiting"
	Called  Status = "called"
	Done    Status = "done"
	NoShow  Status = "no_show" // 过号/弃号 after the recalls
)

// Reason says why a ticket has priority; the empty reason is the ordinary queue.
type Reason string

// The priority reasons, each with its level: higher is called first.
const (
	Ordinary    Reason = ""
	Elderly     Reason = "elderly"     // 70 or older, from the ID card's birth date
	Disabled    Reason = "disabled"    // 残疾人
	Appointment Reason = "appointment" // 预约
	GreenLane   Reason = "green"       // 绿色通道
)

var levels = map[Reason]int{Ordinary: 0, Elderly: 1, Disabled: 1, Appointment: 2, GreenLane: 3}

// Level is the reason's priority level; 0 is the ordinary queue.
func (r Reason) Level() int { return levels[r] }

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool { _, ok := levels[r]; return ok }

// Channel is where a ticket was taken.
type Channel string

// The channels.
const (
	Kiosk  Channel = "kiosk"
	Phone  Channel = "phone"
	API    Channel = "api"
	Desk   Channel = "desk" // issued by staff at the guide desk
	Seeded Channel = "demo"
)

// Ticket is one number in the queue (取号).
type Ticket struct {
	ID             int64         `json:"-"`
	Token          string        `json:"id"` // public, unguessable id: /tickets/{id}
	HallID         int64         `json:"-"`
	HallCode       string        `json:"hall"`
	ZoneID         int64         `json:"zoneId"`
	Zone           string        `json:"zone"` // zone name, filled on reads
	Day            calendar.Date `json:"-"`
	No             string        `json:"no"` // A001
	Reason         Reason        `json:"priority,omitempty"`
	Priority       int           `json:"-"` // Reason.Level()
	Channel        Channel       `json:"channel"`
	Status         Status        `json:"status"`
	IDNumber       string        `json:"-"` // personal data: links the visit to the person
	ApplicantID    int64         `json:"-"` // the applicant account that took it, if any
	Appointment    string        `json:"appointment,omitempty"`
	QueuedAt       time.Time     `json:"queuedAt"` // place in line; kept on transfer
	IssuedAt       time.Time     `json:"issuedAt"`
	CalledAt       time.Time     `json:"calledAt,omitzero"`
	DoneAt         time.Time     `json:"doneAt,omitzero"`
	WindowID       int64         `json:"windowId,omitempty"`
	WindowNumber   int           `json:"window,omitempty"`
	TargetWindowID int64         `json:"targetWindowId,omitempty"` // set by a transfer to one window
	Recalls        int           `json:"recalls"`
	Transfers      int           `json:"transfers"`
	ClerkID        int64         `json:"-"`
	Cases          []string      `json:"cases,omitempty"` // case numbers the visit served
	Ahead          int           `json:"ahead"`           // people ahead, on reads of a waiting ticket
}

// EventKind names a live hall event.
type EventKind string

// The live events.
const (
	EvTicket   EventKind = "ticket"   // a ticket was taken
	EvCall     EventKind = "call"     // a ticket was called
	EvRecall   EventKind = "recall"   // called again
	EvSkip     EventKind = "skip"     // no-show
	EvTransfer EventKind = "transfer" // back in the queue at another zone/window
	EvComplete EventKind = "complete"
	EvWindow   EventKind = "window" // a window opened, paused, resumed or closed
)

// Event is one row of the hall's live feed. Seq orders all events of all
// halls; screens resume from it after a reconnect (SSE Last-Event-ID).
type Event struct {
	Seq          int64     `json:"seq"`
	HallID       int64     `json:"-"`
	Kind         EventKind `json:"kind"`
	At           time.Time `json:"at"`
	Ticket       string    `json:"ticket,omitempty"`
	Zone         string    `json:"zone,omitempty"`
	WindowNumber int       `json:"window,omitempty"`
	WindowName   string    `json:"windowName,omitempty"`
	Speech       string    `json:"speech,omitempty"` // what the screens say aloud
}
