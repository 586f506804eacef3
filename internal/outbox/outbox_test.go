package outbox

import (
	"testing"
	"time"

	"onevisit/internal/cases"
)

func TestTheCursorMovesOverEventsWithoutGapsOrOldEnoughToHaveSettled(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, time.UTC)
	ev := func(id int64, age time.Duration) CaseEvent {
		return CaseEvent{Event: cases.Event{Seq: id, At: now.Add(-age)}}
	}
	cutoff := now.Add(-settleAfter)
	for _, tc := range []struct {
		name string
		from int64
		evs  []CaseEvent
		want int64
	}{
		{"contiguous ids move at once", 4, []CaseEvent{ev(5, 0), ev(6, 0), ev(7, 0)}, 7},
		{"a fresh gap stops the cursor before it", 4, []CaseEvent{ev(5, 0), ev(7, 0), ev(8, 0)}, 5},
		{"an old gap is passed over", 4, []CaseEvent{ev(5, 0), ev(7, 2*time.Minute), ev(8, 0)}, 8},
		{"a gap right after the cursor", 4, []CaseEvent{ev(6, time.Second)}, 4},
	} {
		if got := settled(tc.from, tc.evs, cutoff); got != tc.want {
			t.Errorf("%s: cursor %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRecipientsAreMaskedAndSMSSegmentsCounted(t *testing.T) {
	for recipient, want := range map[string]string{"13800000000": "138****0000", "zhangsan@example.com": "z***@example.com", "123": "***"} {
		if got := (Message{Recipient: recipient}).MaskedRecipient(); got != want {
			t.Errorf("%s masked as %s, want %s", recipient, got, want)
		}
	}
	for n, want := range map[int]int{1: 1, 70: 1, 71: 2, 134: 2, 135: 3} {
		text := string(make([]rune, n))
		if got := (Message{Text: text}).Segments(); got != want {
			t.Errorf("%d characters: %d segments, want %d", n, got, want)
		}
	}
	for phone, want := range map[string]string{"+86 138-0000-0000": "13800000000", "0574-86880000": "", "1380000000x": ""} {
		if got := mobile(phone); got != want {
			t.Errorf("mobile(%q) = %q, want %q", phone, got, want)
		}
	}
}
