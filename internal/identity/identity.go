// Package identity holds users, roles, departments, sessions and API tokens,
// and the one permission check that both transports use.
package identity

import (
	"time"
)

// Role is what a user does in the service center.
type Role string

// The roles of DESIGN.md §1.
const (
	Applicant    Role = "applicant"
	Clerk        Role = "clerk"
	Approver     Role = "approver"
	Issuer       Role = "issuer"
	Supervisor   Role = "supervisor"
	CatalogAdmin Role = "catalog_admin"
	Leader       Role = "leader"
	Admin        Role = "admin"
)

// Roles lists every role in display order.
var Roles = []Role{Applicant, Clerk, Approver, Issuer, Supervisor, CatalogAdmin, Leader, Admin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Kind says whether a user is staff, a natural person or a legal person.
type Kind string

// The kinds of user.
const (
	Staff  Kind = "staff"
	Person Kind = "person" // 自然人, identified by an ID card number
	Legal  Kind = "legal"  // 法人, identified by a USCC
)

// Department is a government department of the service center (a tree).
type Department struct {
	ID         int64     `json:"id"`
	ParentID   int64     `json:"parentId,omitempty"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	NameEn     string    `json:"nameEn,omitempty"`
	USCC       string    `json:"uscc,omitempty"`
	RegionCode string    `json:"regionCode,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
}

// User is a member of staff or an applicant account.
type User struct {
	ID             int64     `json:"id"`
	Username       string    `json:"username"`
	DisplayName    string    `json:"displayName"`
	Kind           Kind      `json:"kind"`
	DepartmentID   int64     `json:"departmentId,omitempty"`
	DepartmentCode string    `json:"departmentCode,omitempty"`
	IDNumber       string    `json:"-"` // personal data: read through Service.Personal, audited
	USCC           string    `json:"uscc,omitempty"`
	LegalRep       string    `json:"-"`
	Phone          string    `json:"-"`
	Roles          []Role    `json:"roles"`
	FailedLogins   int       `json:"-"`
	LockedUntil    time.Time `json:"lockedUntil,omitzero"`
	Disabled       bool      `json:"disabled"`
	CreatedAt      time.Time `json:"createdAt"`
	PasswordHash   string    `json:"-"`
}

// Has reports whether the user holds role r.
func (u User) Has(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Locked reports whether the account is locked at now.
func (u User) Locked(now time.Time) bool { return u.LockedUntil.After(now) }

// HomeRole is the role whose home page the user sees first.
func (u User) HomeRole() Role {
	order := []Role{Admin, Leader, Supervisor, CatalogAdmin, Issuer, Approver, Clerk, Applicant}
	for _, r := range order {
		if u.Has(r) {
			return r
		}
	}
	return Applicant
}

// Session is a logged-in browser or API client.
type Session struct {
	TokenHash  string
	UserID     int64
	Kind       string // "web" or "api"
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry
	IP         string
}

// APIToken is a long-lived credential for a department system.
type APIToken struct {
	ID             int64        `json:"id"`
	Name           string       `json:"name"`
	Prefix         string       `json:"prefix"` // first characters, shown so people can tell tokens apart
	Hash           string       `json:"-"`
	DepartmentID   int64        `json:"departmentId"`
	DepartmentCode string       `json:"departmentCode"`
	Permissions    []Permission `json:"permissions"`
	CreatedBy      int64        `json:"createdBy"`
	CreatedAt      time.Time    `json:"createdAt"`
	ExpiresAt      time.Time    `json:"expiresAt,omitzero"`
	RevokedAt      time.Time    `json:"revokedAt,omitzero"`
	LastUsedAt     time.Time    `json:"lastUsedAt,omitzero"`
}

// Active reports whether the token may be used at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || t.ExpiresAt.After(now))
}
