package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sender delivers messages of one channel: an adapter for an SMTP server,
// an SMS gateway or the log (see outbox/gateway).
type Sender interface {
	// Name is stored with a sent message ("smtp", "sms", "log").
	Name() string
	// Send delivers m. An error wrapping ErrPermanent (a refused number,
	// a rejected address) is not retried.
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a failure that retrying cannot cure.
var ErrPermanent = errors.New("permanent failure")

const (
	// MaxAttempts is how many times a message is tried before it fails.
	MaxAttempts = 5
	// firstBackoff is the wait after the first failed attempt; each
	// further failure doubles it (30 s, 1 min, 2 min, 4 min).
	firstBackoff = 30 * time.Second
	// lease is how long a dispatcher owns a message it claimed: longer
	// than any send may take, short enough that a crashed node's message
	// is soon picked up again (sent twice at worst, never lost).
	sendTimeout = 30 * time.Second
	lease       = sendTimeout + 15*time.Second
	dispatchMax = 100 // messages per run
)

// Backoff is the wait before the next attempt after attempts failures.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		return 0
	}
	return firstBackoff << min(attempts-1, 10)
}

// Dispatch sends the pending messages that are due, one at a time, and
// stores the outcome of each attempt. A message is claimed first (its next
// attempt moved a lease ahead, conditionally), so dispatchers on several
// nodes never send the same message at the same time. It returns how many
// messages were sent.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	due, err := s.store.DueMessages(ctx, now, dispatchMax)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		ok, err := s.store.ClaimMessage(ctx, m.ID, m.NextAttemptAt, now.Add(lease))
		if err != nil {
			return sent, err
		}
		if !ok {
			continue
		}
		s.attempt(ctx, &m)
		if err := s.store.SaveAttempt(ctx, m); err != nil {
			return sent, err
		}
		if m.Status == Sent {
			sent++
		}
	}
	return sent, nil
}

// attempt sends m once and records the outcome in m: sent; failed after
// MaxAttempts or a permanent error; otherwise pending again after a backoff.
func (s *Service) attempt(ctx context.Context, m *Message) {
	m.Attempts++
	err := fmt.Errorf("%w: no sender for channel %q", ErrPermanent, m.Channel)
	sender, ok := s.senders[m.Channel]
	if ok {
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		err = sender.Send(sctx, *m)
		cancel()
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	switch {
	case err == nil:
		m.Status, m.SentAt, m.Via, m.LastError = Sent, now, sender.Name(), ""
		s.log.Debug("outbox message sent", "id", m.ID, "via", m.Via, "to", m.MaskedRecipient())
	case errors.Is(err, ErrPermanent) || m.Attempts >= MaxAttempts:
		m.Status, m.LastError = Failed, errText(err)
		s.log.Warn("outbox message failed", "id", m.ID, "case", m.CaseNo, "attempts", m.Attempts, "err", err)
	default:
		m.LastError, m.NextAttemptAt = errText(err), now.Add(Backoff(m.Attempts))
	}
}

// errText is an error as stored with the message, cut to a readable length.
func errText(err error) string {
	s := err.Error()
	if r := []rune(s); len(r) > 500 {
		return string(r[:500]) + "…"
	}
	return s
}
