package licences

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/document"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
)

// IssueInput is an issuing request for an approved case.
type IssueInput struct {
	TypeCode string            `json:"typeCode,omitempty"` // empty: the type the case's item issues
	Face     map[string]string `json:"face,omitempty"`     // face item values by label, over those taken from the case
}

// Issue issues the licence of an approved case and moves the case to
// issued. Calling it again for a case whose licence was stored but whose
// status did not move (a crash between the two) finishes the move and
// returns that licence instead of issuing a second one.
func (s *Service) Issue(ctx context.Context, p *identity.Principal, caseNo string, in IssueInput) (Licence, error) {
	if err := p.Require(identity.PermLicencesIssue); err != nil {
		return Licence{}, err
	}
	c, err := s.cases.Case(ctx, p, caseNo)
	if err != nil {
		return Licence{}, err
	}
	if c.Status != cases.Approved {
		return Licence{}, apperr.New(apperr.Conflict, "err.licence.case_not_approved", c.Status)
	}
	if held, err := s.store.Licences(ctx, "", c.No); err != nil {
		return Licence{}, err
	} else if len(held) > 0 {
		return held[0], s.markIssued(ctx, p, c.No, held[0].Identifier)
	}
	l, err := s.draft(ctx, c, in)
	if err != nil {
		return Licence{}, err
	}
	if err := s.sign(&l); err != nil {
		return Licence{}, err
	}
	a := audit.New(p.Actor(), "licence.issue", "licence", l.Identifier).With(c.No)
	if err := s.store.CreateLicence(ctx, &l, a); err != nil {
		return Licence{}, err
	}
	return l, s.markIssued(ctx, p, c.No, l.Identifier)
}

func (s *Service) markIssued(ctx context.Context, p *identity.Principal, caseNo, identifier string) error {
	_, err := s.cases.Act(ctx, p, caseNo, cases.ActInput{Action: cases.Issue, Reason: identifier})
	return err
}

// draft builds the unsigned licence for case c: type, issuer, serial,
// identifier, validity and face items.
func (s *Service) draft(ctx context.Context, c cases.Case, in IssueInput) (Licence, error) {
	t, err := s.typeFor(ctx, in.TypeCode, c.ItemCode)
	if err != nil {
		return Licence{}, err
	}
	dept, err := s.issuer(ctx, c.Department)
	if err != nil {
		return Licence{}, err
	}
	today := s.today()
	seq, err := s.store.NextLicenceSerial(ctx, t.Code, dept.USCC, today.Year)
	if err != nil {
		return Licence{}, err
	}
	l := Licence{TypeCode: t.Code, TypeName: t.Name, Serial: fmt.Sprintf("%d%06d", today.Year, seq), Version: 1,
		IssuerName: dept.Name, IssuerCode: dept.USCC, HolderName: c.Applicant.Name, HolderCode: c.Applicant.Code(),
		HolderKind: string(c.Applicant.Kind), CaseNo: c.No, IssueDate: today, ValidFrom: today, Status: Valid}
	l.ValidTo = validTo(t, today)
	l.Face = face(t, c, in.Face)
	return l, nil
}

// validTo is the last day of a licence valid for the type's years from
// day, or zero for an indefinite one.
func validTo(t Type, day calendar.Date) calendar.Date {
	if t.ValidYears == 0 {
		return calendar.Date{}
	}
	return calendar.DateOf(day.In(calendar.Shanghai).AddDate(t.ValidYears, 0, -1))
}

// face fills the type's face items from the case; the issuer's values win.
func face(t Type, c cases.Case, given map[string]string) []FaceItem {
	items := make([]FaceItem, 0, len(t.Fields))
	for _, f := range t.Fields {
		v := strings.TrimSpace(given[f.Label])
		if v == "" {
			v = faceValue(f.Source, c)
		}
		if v == "" {
			v = "—"
		}
		items = append(items, FaceItem{Name: f.Label, Value: v})
	}
	return items
}

// faceValue is a value from the case: "holder.name", "holder.code",
// "holder.legalRep", "item", "case" or "form:<field>"; "const:<text>" is
// the text itself.
func faceValue(source string, c cases.Case) string {
	switch source {
	case "holder.name":
		return c.Applicant.Name
	case "holder.code":
		return c.Applicant.Code()
	case "holder.legalRep":
		return c.Applicant.LegalRep
	case "item":
		return c.ItemName
	case "case":
		return c.No
	}
	if k, ok := strings.CutPrefix(source, "form:"); ok {
		return c.Form[k]
	}
	if v, ok := strings.CutPrefix(source, "const:"); ok {
		return v
	}
	return ""
}

// sign gives l its identifier, renders its PDF, signs it (PAdES) and
// seals the signed file (SM2 over SM3).
func (s *Service) sign(l *Licence) error {
	id, err := idcode.NewLicenceID(l.TypeCode, l.IssuerCode, l.Serial, VersionCode(l.Version))
	if err != nil {
		return fmt.Errorf("licences: identifier: %w", err)
	}
	if s.docs == nil || s.keys == nil {
		return apperr.New(apperr.Conflict, "err.licence.no_renderer")
	}
	l.Identifier, l.CreatedAt = id, s.now()
	pdf, err := s.docs.Licence(s.documentData(l))
	if err != nil {
		return err
	}
	if pdf, err = s.keys.SignPDF(pdf, l.IssuerName, "电子证照签发 "+id, l.CreatedAt); err != nil {
		return err
	}
	if l.Seal, err = s.keys.Seal(id, pdf, l.CreatedAt); err != nil {
		return err
	}
	sum := sha256.Sum256(pdf)
	l.PDF, l.SM3, l.SHA256, l.SealCert = pdf, SM3Hex(pdf), hex.EncodeToString(sum[:]), s.keys.SealID()
	return nil
}

func (s *Service) documentData(l *Licence) document.LicenceData {
	d := document.LicenceData{TypeName: l.TypeName, Issuer: l.IssuerName, Identifier: l.Identifier,
		Number: l.Serial + "-" + VersionCode(l.Version), IssueDate: l.IssueDate.In(calendar.Shanghai),
		ValidFrom: l.ValidFrom.In(calendar.Shanghai), VerifyURL: s.VerifyURL(l.Identifier), Previous: l.PrevIdentifier}
	if !l.ValidTo.IsZero() {
		d.ValidTo = l.ValidTo.In(calendar.Shanghai)
	}
	for _, f := range l.Face {
		d.Face = append(d.Face, document.LicenceField{Name: f.Name, Value: f.Value})
	}
	return d
}
