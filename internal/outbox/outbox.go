// Package outbox tells applicants by SMS and email what happened to their
// cases, without ever losing or doubling a message.
//
// The case timeline is the source: every case change writes its event in
// the same transaction, so an event exists exactly when the change does.
// The relay (relay.go) follows case_events with a stored cursor and turns
// the events an applicant must hear about into outbox messages, moving the
// cursor and inserting the messages in one transaction. The dispatcher
// (dispatch.go) sends pending messages through a Sender per channel (the
// adapters are in outbox/gateway), retrying with exponential backoff.
// Administrators see the outbox and retry failed messages.
package outbox

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// Channel is how a message reaches the applicant.
type Channel string

// The channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Status is where a message stands.
type Status string

// The statuses of a message.
const (
	Pending Status = "pending" // waiting for its (next) attempt
	Sent    Status = "sent"
	Failed  Status = "failed" // given up; an administrator may retry it
)

// Statuses lists every status, for filters.
var Statuses = []Status{Pending, Sent, Failed}

// Message is one SMS or email to an applicant, made from one case event.
type Message struct {
	ID            int64     `json:"id"`
	Channel       Channel   `json:"channel"`
	Recipient     string    `json:"recipient"` // phone number or email address
	CaseNo        string    `json:"caseNo"`
	EventID       int64     `json:"eventId"`
	Template      string    `json:"template"` // e.g. "case.accepted"
	Subject       string    `json:"subject,omitempty"`
	Text          string    `json:"text"`
	Status        Status    `json:"status"`
	Attempts      int       `json:"attempts"`
	LastError     string    `json:"lastError,omitempty"`
	Via           string    `json:"via,omitempty"` // the sender that delivered it: smtp, sms, log
	CreatedAt     time.Time `json:"createdAt"`
	SentAt        time.Time `json:"sentAt,omitzero"`
	NextAttemptAt time.Time `json:"nextAttemptAt,omitzero"`
}

// MaskedRecipient hides the middle of the recipient for lists: 138****0000
// for a phone, z***@example.com for an address.
func (m Message) MaskedRecipient() string {
	r := m.Recipient
	if at := strings.LastIndexByte(r, '@'); at > 0 {
		first, _ := utf8.DecodeRuneInString(r)
		return string(first) + "***" + r[at:]
	}
	if len(r) >= 7 {
		return r[:3] + strings.Repeat("*", len(r)-7) + r[len(r)-4:]
	}
	return strings.Repeat("*", len(r))
}

// Segments is how many SMS segments the text takes: 70 characters fit one
// (Chinese text is sent as UCS-2), a longer text is split into segments of
// 67 characters each.
func (m Message) Segments() int {
	n := utf8.RuneCountInString(m.Text)
	if n <= 70 {
		return 1
	}
	return (n + 66) / 67
}

// CaseEvent is a timeline event with its case as it is now.
type CaseEvent struct {
	Event cases.Event
	Case  cases.Case
}

// Store keeps the relay cursor and the outbox.
type Store interface {
	// RelayCursor is the id of the last case event the relay has settled.
	RelayCursor(ctx context.Context, name string) (int64, error)
	// EventsAfter lists up to limit case events with an id above after,
	// in id order, each with its case.
	EventsAfter(ctx context.Context, after int64, limit int) ([]CaseEvent, error)
	// CommitRelay moves the cursor from one position to another and inserts
	// msgs, in one transaction; a message already made for its event and
	// channel is skipped. It returns how many it inserted, or a Conflict
	// error, changing nothing, if the cursor is no longer at from.
	CommitRelay(ctx context.Context, name string, from, to int64, msgs []Message) (int, error)
	// DueMessages lists up to limit pending messages due at now.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// ClaimMessage moves a pending message's next attempt from seen to
	// until, reporting false if someone else moved it first.
	ClaimMessage(ctx context.Context, id int64, seen, until time.Time) (bool, error)
	// SaveAttempt stores the outcome of an attempt: status, attempts, last
	// error, via, sent and next-attempt times.
	SaveAttempt(ctx context.Context, m Message) error
	// Messages lists the newest messages, of one status if it is not "".
	Messages(ctx context.Context, status Status, limit int) ([]Message, error)
	// MessageCounts counts the messages of each status.
	MessageCounts(ctx context.Context) (map[Status]int, error)
	// RetryMessage makes a failed message pending again, due at now, with
	// its attempts reset; NotFound or Conflict (not failed) otherwise.
	RetryMessage(ctx context.Context, id int64, now time.Time, a audit.Entry) error
}

// Config is what New needs.
type Config struct {
	Store   Store
	Senders map[Channel]Sender // a channel without a sender fails its messages
	BaseURL string             // public URL of the site, for the progress link
	Sign    string             // SMS signature, e.g. 宁波保税区行政服务中心
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service relays case events to the outbox, dispatches messages and shows
// the outbox to administrators.
type Service struct {
	store   Store
	senders map[Channel]Sender
	baseURL string
	sign    string
	now     func() time.Time
	log     *slog.Logger
}

// New returns a Service.
func New(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: c.Store, senders: c.Senders, baseURL: strings.TrimRight(c.BaseURL, "/"), sign: c.Sign,
		now: c.Now, log: c.Logger}
}

// ListLimit is how many messages List returns at most.
const ListLimit = 200

// List is the newest messages (of one status unless status is ""), and the
// count of each status, for administrators.
func (s *Service) List(ctx context.Context, p *identity.Principal, status Status) ([]Message, map[Status]int, error) {
	if err := p.Require(identity.PermUsersManage); err != nil {
		return nil, nil, err
	}
	switch status {
	case "", Pending, Sent, Failed:
	default:
		return nil, nil, apperr.Field("status", "err.outbox.status")
	}
	list, err := s.store.Messages(ctx, status, ListLimit)
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.store.MessageCounts(ctx)
	return list, counts, err
}

// Retry makes a failed message pending again, with a fresh set of
// attempts; the dispatcher sends it on its next run.
func (s *Service) Retry(ctx context.Context, p *identity.Principal, id int64) error {
	if err := p.Require(identity.PermUsersManage); err != nil {
		return err
	}
	a := audit.New(p.Actor(), "outbox.retry", "outbox", strconv.FormatInt(id, 10))
	return s.store.RetryMessage(ctx, id, s.now().UTC().Truncate(time.Microsecond), a)
}
