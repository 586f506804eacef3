// Package licences is the e-licence registry (电子证照库): licence types and
// their face items (照面项), issuing a licence for an approved case as a PDF
// sealed twice — a PAdES/CMS signature that standard PDF readers check and
// an SM2 seal signature (电子签章) over the SM3 digest of the signed file —,
// public verification, the lifecycle (revoke, renew or change as a new
// version, expiry) and reuse of held licences by later applications.
package licences

import (
	"fmt"
	"strings"
	"time"

	"onevisit/internal/calendar"
)

// Field is one face item (照面项) a licence type prints, and where its
// value comes from when a licence is issued for a case.
type Field struct {
	Label  string `json:"label"`            // 照面项名称, e.g. "法定代表人"
	Source string `json:"source,omitempty"` // see faceValue; empty: typed in by the issuer
}

// Type is a licence type (证照类型) with its layout and validity rule.
type Type struct {
	Code       string   `json:"code"`   // 证照类型代码: the issuing ministry's USCC + 3 digits
	Name       string   `json:"name"`   // 证照名称; catalog materials name it in LicenceType
	NameEn     string   `json:"nameEn"` // English name
	Fields     []Field  `json:"fields"`
	ValidYears int      `json:"validYears"`      // 0: valid indefinitely (长期)
	Items      []string `json:"items,omitempty"` // item codes whose approval issues this type
}

// FaceItem is one printed face item and its value.
type FaceItem struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Status is where a licence stands.
type Status string

// The statuses of a licence. Expired is not stored by issuing: it follows
// from the date, and ExpireDue records it.
const (
	Valid      Status = "valid"      // 有效
	Revoked    Status = "revoked"    // 注销/吊销
	Expired    Status = "expired"    // 过期
	Superseded Status = "superseded" // 已被新版本替代 (延续/变更)
)

// Licence is one issued e-licence (电子证照).
type Licence struct {
	ID             int64         `json:"-"`
	Identifier     string        `json:"identifier"` // 证照标识, DOMAIN.md §3.3
	TypeCode       string        `json:"typeCode"`
	TypeName       string        `json:"typeName"`
	Serial         string        `json:"serial"`  // 流水号, shared by all versions
	Version        int           `json:"version"` // 1, 2, …
	IssuerName     string        `json:"issuerName"`
	IssuerCode     string        `json:"issuerCode"` // issuing department's USCC
	HolderName     string        `json:"holderName"`
	HolderCode     string        `json:"holderCode"` // ID number or USCC
	HolderKind     string        `json:"holderKind"` // person or legal
	CaseNo         string        `json:"caseNo,omitempty"`
	Face           []FaceItem    `json:"face"`
	IssueDate      calendar.Date `json:"issueDate"`
	ValidFrom      calendar.Date `json:"validFrom"`
	ValidTo        calendar.Date `json:"validTo,omitzero"` // zero: indefinitely
	Status         Status        `json:"status"`
	StatusReason   string        `json:"statusReason,omitempty"`
	StatusAt       time.Time     `json:"statusAt,omitzero"`
	PrevIdentifier string        `json:"prevIdentifier,omitempty"` // 关联证照标识: the version it replaced
	NextIdentifier string        `json:"nextIdentifier,omitempty"` // the version that replaced it
	SM3            string        `json:"sm3"`                      // SM3 of the signed PDF, hex
	SHA256         string        `json:"sha256"`
	Seal           []byte        `json:"seal"`     // DER SM2 seal signature, see seal.go
	SealCert       string        `json:"sealCert"` // SM3 fingerprint of the seal certificate
	CreatedAt      time.Time     `json:"createdAt"`
	PDF            []byte        `json:"-"`
}

// StatusOn is the licence's status on day: a valid licence past its last
// day of validity is expired.
func (l Licence) StatusOn(day calendar.Date) Status {
	if l.Status == Valid && !l.ValidTo.IsZero() && day.After(l.ValidTo) {
		return Expired
	}
	return l.Status
}

// MaskedHolder hides most of the holder's code for public pages: a person's
// ID number keeps its first and last characters, a USCC its last six.
func (l Licence) MaskedHolder() string {
	r := []rune(strings.TrimSpace(l.HolderCode))
	n := len(r)
	switch {
	case n == 0:
		return ""
	case l.HolderKind == "legal" && n > 6:
		return strings.Repeat("*", n-6) + string(r[n-6:])
	case n > 4:
		return string(r[:1]) + strings.Repeat("*", n-2) + string(r[n-1:])
	}
	return strings.Repeat("*", n)
}

// MaskedName hides a person's name except its first character; an
// organisation's name is public.
func (l Licence) MaskedName() string {
	r := []rune(l.HolderName)
	if l.HolderKind == "legal" || len(r) <= 1 {
		return l.HolderName
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

// PublicFace is the face items as public pages show them: the holder's
// code and a person's name masked wherever they appear.
func (l Licence) PublicFace() []FaceItem {
	out := make([]FaceItem, len(l.Face))
	for i, f := range l.Face {
		switch {
		case f.Value == l.HolderCode && l.HolderCode != "":
			f.Value = l.MaskedHolder()
		case f.Value == l.HolderName:
			f.Value = l.MaskedName()
		}
		out[i] = f
	}
	return out
}

// VersionCode is the three-digit version in the identifier.
func VersionCode(v int) string { return fmt.Sprintf("%03d", v) }
