package licences

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/document"
	"onevisit/internal/identity"
)

// Store keeps licence types and licences. Every change is written with its
// audit entry in the same transaction.
type Store interface {
	SaveLicenceType(ctx context.Context, t Type, a audit.Entry) error
	LicenceTypes(ctx context.Context) ([]Type, error)
	// NextLicenceSerial is the next number of the (type, issuer, year) counter, from 1.
	NextLicenceSerial(ctx context.Context, typeCode, issuerCode string, year int) (int64, error)
	CreateLicence(ctx context.Context, l *Licence, a audit.Entry) error
	// SupersedeLicence stores next and marks its previous version superseded, in one transaction.
	SupersedeLicence(ctx context.Context, next *Licence, a audit.Entry) error
	// SetLicenceStatus moves a licence from status from to to; Conflict if it is no longer in from.
	SetLicenceStatus(ctx context.Context, identifier string, from, to Status, reason string, at time.Time, a audit.Entry) error
	Licence(ctx context.Context, identifier string) (Licence, error)
	LicenceBySM3(ctx context.Context, sm3 string) (Licence, error)
	// Licences lists licences without their PDFs: by holder code, by case number, or all when both are empty.
	Licences(ctx context.Context, holderCode, caseNo string) ([]Licence, error)
	// ExpiredLicences lists valid licences whose validity ended before day.
	ExpiredLicences(ctx context.Context, day calendar.Date) ([]Licence, error)
}

// Cases is what issuing needs from the cases service.
type Cases interface {
	Case(ctx context.Context, p *identity.Principal, no string) (cases.Case, error)
	Act(ctx context.Context, p *identity.Principal, no string, in cases.ActInput) (cases.Case, error)
}

// Departments finds the issuing department of a case, for its name and USCC.
type Departments interface {
	Departments(ctx context.Context) ([]identity.Department, error)
}

// Renderer lays out the licence PDF.
type Renderer interface {
	Licence(d document.LicenceData) ([]byte, error)
}

// Service issues, verifies and manages e-licences.
type Service struct {
	store   Store
	cases   Cases
	depts   Departments
	docs    Renderer
	keys    *KeyRing
	baseURL string
	now     func() time.Time
}

// Config is what NewService needs. Cases and Departments may be nil where
// nothing is issued (verification only).
type Config struct {
	Store       Store
	Cases       Cases
	Departments Departments
	Documents   Renderer // nil when no CJK font is installed: issuing then fails
	Keys        *KeyRing
	BaseURL     string // public URL of the center, for the QR code
	Now         func() time.Time
}

// NewService returns a Service.
func NewService(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{store: c.Store, cases: c.Cases, depts: c.Departments, docs: c.Documents, keys: c.Keys,
		baseURL: strings.TrimRight(c.BaseURL, "/"), now: c.Now}
}

// WithClock returns a copy of s that reads the time from now: the demo
// uses it to issue licences in the past.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// VerifyURL is the public verification page of an identifier.
func (s *Service) VerifyURL(identifier string) string { return s.baseURL + "/verify/" + identifier }

// Types lists the licence types.
func (s *Service) Types(ctx context.Context) ([]Type, error) { return s.store.LicenceTypes(ctx) }

// SaveType creates or replaces a licence type; p needs the catalog
// permission, and a nil p is the system seeding types at start-up.
func (s *Service) SaveType(ctx context.Context, p *identity.Principal, t Type) error {
	if p != nil {
		if err := p.Require(identity.PermCatalogEdit); err != nil {
			return err
		}
	}
	t.Code, t.Name = strings.ToUpper(strings.TrimSpace(t.Code)), strings.TrimSpace(t.Name)
	if len(t.Code) < 4 || t.Name == "" || len(t.Fields) == 0 || t.ValidYears < 0 {
		return apperr.Field("type", "err.licence.type_invalid")
	}
	actor := audit.System
	if p != nil {
		actor = p.Actor()
	}
	return s.store.SaveLicenceType(ctx, t, audit.New(actor, "licence_type.save", "licence_type", t.Code).With(t.Name))
}

// typeFor is the licence type code names, or the type the case's item issues.
func (s *Service) typeFor(ctx context.Context, code, item string) (Type, error) {
	ts, err := s.store.LicenceTypes(ctx)
	if err != nil {
		return Type{}, err
	}
	for _, t := range ts {
		if (code != "" && t.Code == strings.ToUpper(code)) || (code == "" && slices.Contains(t.Items, item)) {
			return t, nil
		}
	}
	return Type{}, apperr.New(apperr.Invalid, "err.licence.type_unknown")
}

// issuer is the department that implements the case's item.
func (s *Service) issuer(ctx context.Context, code string) (identity.Department, error) {
	ds, err := s.depts.Departments(ctx)
	if err != nil {
		return identity.Department{}, err
	}
	for _, d := range ds {
		if d.Code == code && d.USCC != "" {
			return d, nil
		}
	}
	return identity.Department{}, apperr.New(apperr.Conflict, "err.licence.issuer_unknown", code)
}

// Licence returns a licence by identifier, without access control: the
// registry's public face shows only what the verification page shows.
func (s *Service) Licence(ctx context.Context, identifier string) (Licence, error) {
	return s.store.Licence(ctx, strings.ToUpper(strings.TrimSpace(identifier)))
}

// ForCase lists the licences issued for a case the principal may see.
func (s *Service) ForCase(ctx context.Context, p *identity.Principal, caseNo string) ([]Licence, error) {
	if _, err := s.cases.Case(ctx, p, caseNo); err != nil {
		return nil, err
	}
	return s.store.Licences(ctx, "", caseNo)
}

// Holds reports whether holderCode holds a licence of licenceType (a type
// code or name) that is valid today, and its identifier; it implements
// cases.Registry.
func (s *Service) Holds(ctx context.Context, holderCode, licenceType string) (string, bool, error) {
	if strings.TrimSpace(holderCode) == "" || licenceType == "" {
		return "", false, nil
	}
	ls, err := s.store.Licences(ctx, strings.ToUpper(strings.TrimSpace(holderCode)), "")
	if err != nil {
		return "", false, err
	}
	today := s.today()
	for _, l := range ls {
		if (l.TypeCode == licenceType || l.TypeName == licenceType) && l.StatusOn(today) == Valid {
			return l.Identifier, true, nil
		}
	}
	return "", false, nil
}

// ExpireDue records the expiry of every valid licence whose validity has
// ended, one audit entry each, and returns how many expired.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	today := s.today()
	ls, err := s.store.ExpiredLicences(ctx, today)
	if err != nil {
		return 0, err
	}
	for _, l := range ls {
		a := audit.New(audit.System, "licence.expire", "licence", l.Identifier).With(l.ValidTo.String())
		if err := s.store.SetLicenceStatus(ctx, l.Identifier, Valid, Expired, "validity ended "+l.ValidTo.String(), s.now(), a); err != nil {
			return 0, fmt.Errorf("expire %s: %w", l.Identifier, err)
		}
	}
	return len(ls), nil
}
