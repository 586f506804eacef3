package licences

import (
	"context"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// Revoke revokes (注销) a valid licence for reason. A revoked licence stays
// in the registry, and its verification page says so.
func (s *Service) Revoke(ctx context.Context, p *identity.Principal, identifier, reason string) (Licence, error) {
	if err := p.Require(identity.PermLicencesIssue); err != nil {
		return Licence{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Licence{}, apperr.Field("reason", "err.reason_required")
	}
	l, err := s.Licence(ctx, identifier)
	if err != nil {
		return Licence{}, err
	}
	if st := l.StatusOn(s.today()); st != Valid {
		return Licence{}, apperr.New(apperr.Conflict, "err.licence.not_valid", st)
	}
	a := audit.New(p.Actor(), "licence.revoke", "licence", l.Identifier).With(reason)
	if err := s.store.SetLicenceStatus(ctx, l.Identifier, Valid, Revoked, reason, s.now(), a); err != nil {
		return Licence{}, err
	}
	return s.Licence(ctx, l.Identifier)
}

// ChangeInput renews (延续) or changes (变更) a licence.
type ChangeInput struct {
	Reason string            `json:"reason"`
	Face   map[string]string `json:"face,omitempty"` // changed face items by label
}

// Change issues the next version of a valid or expired licence: the same
// serial, the version one higher, face items changed as given, validity
// restarting today, linked to the previous identifier, which is superseded.
func (s *Service) Change(ctx context.Context, p *identity.Principal, identifier string, in ChangeInput) (Licence, error) {
	if err := p.Require(identity.PermLicencesIssue); err != nil {
		return Licence{}, err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return Licence{}, apperr.Field("reason", "err.reason_required")
	}
	old, err := s.Licence(ctx, identifier)
	if err != nil {
		return Licence{}, err
	}
	if st := old.StatusOn(s.today()); st != Valid && st != Expired {
		return Licence{}, apperr.New(apperr.Conflict, "err.licence.not_valid", st)
	}
	next, err := s.nextVersion(ctx, old, in)
	if err != nil {
		return Licence{}, err
	}
	if err := s.sign(&next); err != nil {
		return Licence{}, err
	}
	a := audit.New(p.Actor(), "licence.change", "licence", next.Identifier).With(old.Identifier + " " + in.Reason)
	return next, s.store.SupersedeLicence(ctx, &next, a)
}

func (s *Service) nextVersion(ctx context.Context, old Licence, in ChangeInput) (Licence, error) {
	t, err := s.typeFor(ctx, old.TypeCode, "")
	if err != nil {
		return Licence{}, err
	}
	next := old
	next.ID, next.Version, next.PrevIdentifier, next.NextIdentifier = 0, old.Version+1, old.Identifier, ""
	next.Status, next.StatusReason, next.StatusAt = Valid, "", time.Time{}
	next.IssueDate, next.ValidFrom = s.today(), s.today()
	next.ValidTo = validTo(t, next.ValidFrom)
	next.Face = make([]FaceItem, len(old.Face))
	for i, f := range old.Face {
		if v := strings.TrimSpace(in.Face[f.Name]); v != "" {
			f.Value = v
		}
		next.Face[i] = f
	}
	return next, nil
}
