package idcode

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// wantReason fails the test unless err is an *Error of the given kind and reason.
func wantReason(t *testing.T, err error, kind string, reason Reason) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *Error %s/%s", err, kind, reason)
	}
	if e.Kind != kind || e.Reason != reason {
		t.Fatalf("error = %s/%s (%v), want %s/%s", e.Kind, e.Reason, err, kind, reason)
	}
}

// newRand returns a deterministic source so failures reproduce.
func newRand(t *testing.T) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(2018, uint64(len(t.Name()))))
}

// randomFrom returns n characters drawn from alphabet.
func randomFrom(r *rand.Rand, alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// substitutions calls f with every string that differs from s in exactly one
// position, the new character drawn from alphabet.
func substitutions(s, alphabet string, f func(pos int, mutated string)) {
	for i := range len(s) {
		for j := range len(alphabet) {
			if alphabet[j] == s[i] {
				continue
			}
			f(i, s[:i]+string(alphabet[j])+s[i+1:])
		}
	}
}

func TestReasonMessages(t *testing.T) {
	reasons := []Reason{ReasonEmpty, ReasonLength, ReasonCharset, ReasonChecksum,
		ReasonBirthdate, ReasonRegion, ReasonFormat, ReasonOrgCode}
	for _, r := range reasons {
		t.Run(string(r)+" has a Chinese and an English message", func(t *testing.T) {
			zh, en := r.Message("zh-CN"), r.Message("en")
			if zh == "" || en == "" || zh == en {
				t.Errorf("Message = %q / %q", zh, en)
			}
			if r.Message("") != zh || r.Message("zh") != zh || r.Message("fr") != zh {
				t.Error("Chinese should be the default")
			}
			if r.Message("en-GB") != en || r.Message("EN") != en {
				t.Error("any English tag should give English")
			}
		})
	}
	if got := ReasonChecksum.Message("zh"); got != "校验码不正确" {
		t.Errorf("checksum in Chinese = %q", got)
	}
	if got := ReasonChecksum.Message("en"); got != "the check character is wrong" {
		t.Errorf("checksum in English = %q", got)
	}
	if got := Reason("nonsense").Message("en"); got == "" {
		t.Error("an unknown reason still gets a message")
	}
}

func TestErrorIsAnEnglishSentenceAndReasonOfFindsIt(t *testing.T) {
	_, err := ValidateUSCC("91350100M000100Y4Z")
	if got := err.Error(); got != "invalid unified social credit code: the check character is wrong" {
		t.Errorf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("applicant: %w", err)
	if got := ReasonOf(wrapped); got != ReasonChecksum {
		t.Errorf("ReasonOf(wrapped) = %q", got)
	}
	if got := ReasonOf(errors.New("other")); got != "" {
		t.Errorf("ReasonOf(other error) = %q, want empty", got)
	}
}
