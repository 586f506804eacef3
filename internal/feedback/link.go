package feedback

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/identity"
)

// A rating link is /rate/{token}, sent to the applicant by SMS. The token
// is base64url("caseNo.expiryUnix") + "." + base64url(HMAC-SHA256[:16])
// under a key kept in the database, so any node can check it and nothing
// needs to be stored per link.

var b64 = base64.RawURLEncoding

// LinkToken returns a signed token for rating case no online, valid for
// the configured time. Staff who handle the case (or supervisors) may ask
// for one, to send it by SMS.
func (s *Service) LinkToken(ctx context.Context, p *identity.Principal, no string) (string, error) {
	switch {
	case p == nil:
		return "", apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	case !p.Can(identity.PermCasesAccept) && !p.Can(identity.PermLicencesIssue) && !p.Can(identity.PermSupervise):
		return "", apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if _, err := s.cases.Case(ctx, no); err != nil {
		return "", err
	}
	return s.sign(ctx, no, s.now().Add(s.cfg.LinkTTL))
}

func (s *Service) sign(ctx context.Context, no string, exp time.Time) (string, error) {
	key, err := s.store.LinkKey(ctx)
	if err != nil {
		return "", err
	}
	body := no + "." + strconv.FormatInt(exp.Unix(), 10)
	return b64.EncodeToString([]byte(body)) + "." + b64.EncodeToString(mac(key, body)), nil
}

func mac(key []byte, body string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body))
	return m.Sum(nil)[:16]
}

// LinkCase checks a rating link's token and returns its case. A forged,
// damaged or expired token is NotFound, revealing nothing.
func (s *Service) LinkCase(ctx context.Context, token string) (cases.Case, error) {
	bad := apperr.New(apperr.NotFound, "err.rating.link")
	enc, sig, ok := strings.Cut(token, ".")
	if !ok {
		return cases.Case{}, bad
	}
	body, err1 := b64.DecodeString(enc)
	got, err2 := b64.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return cases.Case{}, bad
	}
	key, err := s.store.LinkKey(ctx)
	if err != nil {
		return cases.Case{}, err
	}
	if !hmac.Equal(got, mac(key, string(body))) {
		return cases.Case{}, bad
	}
	no, expText, _ := strings.Cut(string(body), ".")
	exp, err := strconv.ParseInt(expText, 10, 64)
	if err != nil || s.now().Unix() > exp {
		return cases.Case{}, bad
	}
	c, err := s.cases.Case(ctx, no)
	if apperr.KindOf(err) == apperr.NotFound {
		return cases.Case{}, bad
	}
	return c, err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
