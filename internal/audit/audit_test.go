package audit

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var es []Entry
	prevSeq, prevHash := int64(0), ""
	for i := 0; i < n; i++ {
		e := New(Actor{ID: 7, Name: "clerk", IP: "10.0.0.1"}, "user.read", "user", "42").With("查看身份证号")
		e.Seal(prevSeq, prevHash, time.Date(2026, 11, 27, 9, 0, i, 0, time.UTC))
		prevSeq, prevHash = e.Seq, e.Hash
		es = append(es, e)
	}
	return es
}

func verify(es []Entry, headSeq int64, headHash string) error {
	var v Verifier
	for _, e := range es {
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return v.End(headSeq, headHash)
}

func TestVerify(t *testing.T) {
	es := chain(5)
	head := es[4]
	tests := []struct {
		name    string
		mutate  func([]Entry) []Entry
		wantSeq int64 // 0: valid
	}{
		{"an untouched log passes", func(es []Entry) []Entry { return es }, 0},
		{"an edited detail is caught at that entry", func(es []Entry) []Entry { es[2].Detail = "x"; return es }, 3},
		{"an edited actor is caught", func(es []Entry) []Entry { es[0].Actor = "admin"; return es }, 1},
		{"a deleted middle entry is caught", func(es []Entry) []Entry { return append(es[:1:1], es[2:]...) }, 2},
		{"a deleted last entry is caught by the head", func(es []Entry) []Entry { return es[:4] }, 5},
		{"a re-hashed edit is caught by the next link", func(es []Entry) []Entry {
			es[1].Detail = "x"
			es[1].Hash = es[1].ComputeHash()
			return es
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := tt.mutate(append([]Entry(nil), es...))
			err := verify(es, head.Seq, head.Hash)
			if tt.wantSeq == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var b *Break
			if !errors.As(err, &b) || b.Seq != tt.wantSeq {
				t.Fatalf("want a break at %d, got %v", tt.wantSeq, err)
			}
		})
	}
}
