package licences

import (
	"context"
	"errors"
	"regexp"

	"onevisit/internal/apperr"
)

// Check is the outcome of checking a file against the registry.
type Check struct {
	Genuine bool    `json:"genuine"` // the very file issued, with a valid seal signature
	Reason  string  `json:"reason"`  // message key saying why not, or "licence.check.genuine"
	Licence Licence `json:"licence"` // the registry entry the file matches or claims
	Found   bool    `json:"found"`   // a registry entry was found
}

// subjectRe finds the identifier a licence PDF names in its Subject.
var subjectRe = regexp.MustCompile(`/Subject \((1\.2\.156\.3005\.2\.[0-9A-Z.]+)\)`)

// ClaimedIdentifier is the identifier a PDF names in its document
// information, or "".
func ClaimedIdentifier(pdf []byte) string {
	if m := subjectRe.FindSubmatch(pdf); m != nil {
		return string(m[1])
	}
	return ""
}

// Verify checks whether pdf is a genuine licence: its SM3 digest must be a
// registry entry's (the one identifier names, when given) and the entry's
// SM2 seal signature must verify over it. A tampered copy matches no entry
// and is reported against the identifier it claims.
func (s *Service) Verify(ctx context.Context, identifier string, pdf []byte) (Check, error) {
	l, err := s.store.LicenceBySM3(ctx, SM3Hex(pdf))
	switch {
	case err == nil && (identifier == "" || l.Identifier == identifier):
		return s.checkSeal(l, pdf), nil
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return Check{}, err
	}
	if identifier == "" {
		identifier = ClaimedIdentifier(pdf)
	}
	if identifier == "" {
		return Check{Reason: "licence.check.unknown"}, nil
	}
	claimed, err := s.Licence(ctx, identifier)
	if apperr.Is(err, apperr.NotFound) {
		return Check{Reason: "licence.check.unknown"}, nil
	}
	if err != nil {
		return Check{}, err
	}
	return Check{Licence: claimed, Found: true, Reason: "licence.check.altered"}, nil
}

func (s *Service) checkSeal(l Licence, pdf []byte) Check {
	c := Check{Licence: l, Found: true, Reason: "licence.check.genuine", Genuine: true}
	if err := s.keys.VerifySeal(l.Seal, l.Identifier, pdf); err != nil {
		c.Genuine, c.Reason = false, "licence.check.seal_invalid"
		if !errors.Is(err, ErrSeal) {
			c.Reason = "licence.check.unknown"
		}
	}
	return c
}
