package outbox

import (
	"context"
	"time"

	"onevisit/internal/apperr"
)

// CaseEventsCursor names the relay's cursor over case_events.
const CaseEventsCursor = "case_events"

const (
	// relayBatch is how many events one relay transaction takes at most.
	relayBatch = 500
	// settleAfter bounds how long a write transaction may run. On
	// PostgreSQL event ids come from a sequence, so a transaction that took
	// id 7 may commit after the one that took id 8: the relay can see 8
	// while 7 is still invisible, and 7 may also never come (a rolled-back
	// transaction leaves a gap). So the cursor only moves over an event
	// whose id follows the cursor's, or one older than settleAfter — by then
	// every transaction holding a lower id has ended. Events beyond a gap
	// are still relayed at once, and relayed again on the next runs until
	// the cursor passes them; the unique (event_id, channel) index drops the
	// repeats. On SQLite writers are serial and ids never leave gaps.
	settleAfter = time.Minute
)

// Relay turns the case events after the cursor into outbox messages and
// moves the cursor, each batch in one transaction with its messages: a
// crash between batches loses nothing and doubles nothing. It returns how
// many messages it made.
//
// Several nodes may run it at once: each moves the cursor with a
// conditional update (… WHERE position = the position it read), so of two
// relays that read the same position one commits and the other's whole
// transaction, messages included, is rolled back and counted as no work.
func (s *Service) Relay(ctx context.Context) (int, error) {
	total := 0
	for {
		n, more, err := s.relayBatch(ctx)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// relayBatch relays one batch; more reports a full batch that moved the
// cursor, so another may follow at once.
func (s *Service) relayBatch(ctx context.Context) (n int, more bool, err error) {
	from, err := s.store.RelayCursor(ctx, CaseEventsCursor)
	if err != nil {
		return 0, false, err
	}
	evs, err := s.store.EventsAfter(ctx, from, relayBatch)
	if err != nil || len(evs) == 0 {
		return 0, false, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	var msgs []Message
	for _, ce := range evs {
		msgs = append(msgs, s.compose(ce, Message{CreatedAt: now, NextAttemptAt: now})...)
	}
	to := settled(from, evs, now.Add(-settleAfter))
	if to == from && len(msgs) == 0 {
		return 0, false, nil
	}
	n, err = s.store.CommitRelay(ctx, CaseEventsCursor, from, to, msgs)
	if apperr.Is(err, apperr.Conflict) {
		return 0, false, nil // another node relayed this batch
	}
	return n, err == nil && len(evs) == relayBatch && to > from, err
}

// settled is how far the cursor may move over evs (in id order): past
// each event that follows the previous one without a gap, or that is older
// than cutoff, up to the first that is neither.
func settled(from int64, evs []CaseEvent, cutoff time.Time) int64 {
	to := from
	for _, ce := range evs {
		if ce.Event.Seq != to+1 && !ce.Event.At.Before(cutoff) {
			break
		}
		to = ce.Event.Seq
	}
	return to
}
