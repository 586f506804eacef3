package delivery

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
	"onevisit/internal/outbox"
)

// Choice is the applicant's choice of how to collect the result.
type Choice struct {
	Method  Method  `json:"method"`
	Address Address `json:"address,omitzero"` // EMS only
	Place   string  `json:"place,omitempty"`  // pickup: window or locker, if known
}

// Choose records how the applicant of case no collects the result: the
// applicant themselves, or front-desk staff on their behalf, once the case
// is approved or issued and until the result is on its way. A pickup gets
// a fresh code, sent to the applicant's phone.
func (s *Service) Choose(ctx context.Context, p *identity.Principal, no string, in Choice) (Delivery, error) {
	c, err := s.cases.Case(ctx, p, no)
	if err != nil {
		return Delivery{}, err
	}
	if !c.OwnedBy(p) && !isStaff(p) {
		return Delivery{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if c.Status != cases.Approved && c.Status != cases.Issued {
		return Delivery{}, apperr.New(apperr.Conflict, "err.delivery.not_ready")
	}
	if old, err := s.store.Delivery(ctx, no); err == nil && (old.Done() || rank[old.Status] > 0) {
		return Delivery{}, apperr.New(apperr.Conflict, "err.delivery.under_way")
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return Delivery{}, err
	}
	d, err := s.newDelivery(ctx, p, c, in)
	if err != nil {
		return Delivery{}, err
	}
	var msgs []outbox.Message
	if d.Method.Pickup() {
		code, err := newCode()
		if err != nil {
			return Delivery{}, err
		}
		d.CodeHash = hashCode(code)
		if s.texts != nil {
			msgs = s.texts.PickupMessages(c, code, d.Place)
		}
	}
	a := audit.New(p.Actor(), "delivery.choose", "case", no).With(string(d.Method))
	if err := s.store.SaveDelivery(ctx, &d, msgs, a); err != nil {
		return Delivery{}, err
	}
	return d, nil
}

// newDelivery checks in and makes the delivery it asks for.
func (s *Service) newDelivery(ctx context.Context, p *identity.Principal, c cases.Case, in Choice) (Delivery, error) {
	now := s.now().UTC()
	d := Delivery{CaseNo: c.No, Method: in.Method, Place: strings.TrimSpace(in.Place), ChosenBy: p.Actor().Name,
		ChosenAt: now, UpdatedAt: now}
	switch in.Method {
	case Window, Locker:
		return d, nil
	case EMS:
		addr, err := checkAddress(in.Address)
		if err != nil {
			return Delivery{}, err
		}
		d.Address, d.Status, d.Place = addr, Pending, ""
		d.Free, err = s.emsFree(ctx, c.ItemCode)
		return d, err
	}
	return Delivery{}, apperr.Field("method", "err.delivery.method")
}

// emsFree reports whether the item lists EMS among its collect modes.
func (s *Service) emsFree(ctx context.Context, code string) (bool, error) {
	if s.items == nil {
		return false, nil
	}
	it, err := s.items.Item(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil && slices.Contains(it.CollectModes, catalog.ByEMS), err
}

// checkAddress trims an address and checks every part is there and the
// phone is a mainland mobile or landline number.
func checkAddress(a Address) (Address, error) {
	parts := []*string{&a.Recipient, &a.Phone, &a.Province, &a.City, &a.District, &a.Street}
	names := []string{"recipient", "phone", "province", "city", "district", "street"}
	fields := map[string]string{}
	for i, v := range parts {
		*v = strings.TrimSpace(*v)
		if *v == "" || len([]rune(*v)) > 200 {
			fields[names[i]] = "err.required"
		}
	}
	if a.Phone != "" && !phoneLike(a.Phone) {
		fields["phone"] = "err.delivery.phone"
	}
	if len(fields) > 0 {
		return Address{}, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	return a, nil
}

// phoneLike accepts 7 to 15 digits, with an optional + and separators.
func phoneLike(s string) bool {
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '+' && i == 0, r == '-', r == ' ':
		default:
			return false
		}
	}
	return n >= 7 && n <= 15
}

// newCode is a random six-digit pickup code.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("pickup code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// hashCode is "salt$hex(sha256(salt + code))" with a random salt: the code
// itself is never stored. Six digits can be searched offline, so the code
// also counts wrong attempts and needs the collector's ID number.
func hashCode(code string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	return hex.EncodeToString(salt) + "$" + digest(salt, code)
}

func digest(salt []byte, code string) string {
	h := sha256.Sum256(append(append([]byte{}, salt...), code...))
	return hex.EncodeToString(h[:])
}

// codeMatches reports whether code is the one hashed in stored.
func codeMatches(stored, code string) bool {
	saltHex, want, ok := strings.Cut(stored, "$")
	salt, err := hex.DecodeString(saltHex)
	if !ok || err != nil {
		return false
	}
	got := digest(salt, strings.TrimSpace(code))
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
