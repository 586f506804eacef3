// Package audit defines onevisit's append-only audit log. Each entry carries
// the SHA-256 hash of the previous one, so that editing or deleting a row
// breaks the chain and Verify names the first entry that no longer fits.
// Stores write an entry in the same transaction as the change it records.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Actor is who did something, and from where.
type Actor struct {
	ID   int64  // user id; 0 for the system or an anonymous caller
	Name string // username, token name or "system"
	IP   string
}

// System is the actor for jobs and start-up work.
var System = Actor{Name: "system"}

// Entry is one line of the audit log.
type Entry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actorId"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	ObjectType string    `json:"objectType"`
	ObjectID   string    `json:"objectId"`
	IP         string    `json:"ip"`
	Detail     string    `json:"detail"`
	PrevHash   string    `json:"prevHash"`
	Hash       string    `json:"hash"`
}

// New starts an entry for actor doing action on an object.
func New(a Actor, action, objectType, objectID string) Entry {
	return Entry{ActorID: a.ID, Actor: a.Name, IP: a.IP, Action: action, ObjectType: objectType, ObjectID: objectID}
}

// With returns e with its detail set.
func (e Entry) With(detail string) Entry {
	e.Detail = detail
	return e
}

// Seal fills in the sequence number, time and hashes of e as the entry that
// follows prev (seq 0 and hash "" for the first entry).
func (e *Entry) Seal(prevSeq int64, prevHash string, at time.Time) {
	e.Seq = prevSeq + 1
	e.At = at.UTC().Truncate(time.Microsecond)
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// ComputeHash is the hash of the entry's content and its predecessor's hash.
// Each field is length-prefixed so that no two entries share an encoding.
func (e *Entry) ComputeHash() string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMicro(), 10),
		strconv.FormatInt(e.ActorID, 10), e.Actor, e.Action, e.ObjectType, e.ObjectID,
		e.IP, e.Detail, e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Break describes the first entry where the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit entry %d: %s", b.Seq, b.Reason) }

// Verifier checks entries one at a time, in sequence order.
type Verifier struct {
	prevSeq  int64
	prevHash string
	count    int64
}

// Next checks e against the entries seen so far.
func (v *Verifier) Next(e Entry) error {
	switch {
	case e.Seq != v.prevSeq+1:
		return &Break{Seq: v.prevSeq + 1, Reason: fmt.Sprintf("missing (next present entry is %d)", e.Seq)}
	case e.PrevHash != v.prevHash:
		return &Break{Seq: e.Seq, Reason: "previous-hash link does not match"}
	case e.ComputeHash() != e.Hash:
		return &Break{Seq: e.Seq, Reason: "content does not match its hash (edited)"}
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	v.count++
	return nil
}

// End checks that the chain ends where the head says it does: entries
// deleted from the end of the log show up here.
func (v *Verifier) End(headSeq int64, headHash string) error {
	if headSeq != v.prevSeq || headHash != v.prevHash {
		return &Break{Seq: v.prevSeq + 1, Reason: fmt.Sprintf("log ends at %d but the head records %d", v.prevSeq, headSeq)}
	}
	return nil
}

// Count is the number of entries verified.
func (v *Verifier) Count() int64 { return v.count }
