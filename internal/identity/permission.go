package identity

import (
	"slices"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
)

// Permission is one thing a principal may do.
type Permission string

// The permissions. Later domains add theirs here so that the one table
// below stays the single source of who may do what.
const (
	PermUsersManage       Permission = "users.manage"
	PermDepartmentsManage Permission = "departments.manage"
	PermTokensManage      Permission = "tokens.manage"
	PermCalendarManage    Permission = "calendar.manage"
	PermAuditRead         Permission = "audit.read"
	PermPersonalRead      Permission = "personal.read" // staff reading an applicant's personal data
	PermCasesApply        Permission = "cases.apply"
	PermCasesAccept       Permission = "cases.accept"
	PermCasesApprove      Permission = "cases.approve"
	PermLicencesIssue     Permission = "licences.issue"
	PermSupervise         Permission = "supervise"
	PermCatalogEdit       Permission = "catalog.edit"
	PermDashboards        Permission = "dashboards.read"
	PermValidate          Permission = "validate"    // identity-code checks by department systems
	PermHallCall          Permission = "hall.call"   // sign in at a hall window and call tickets
	PermHallManage        Permission = "hall.manage" // set up halls, zones and windows
	PermRatePad           Permission = "ratings.pad" // a window's evaluation pad (token scope only)
	PermRectify           Permission = "rectify"     // a department's rectification of bad ratings
	PermEscalate          Permission = "escalate"    // file an unfinished-matter report (办不成事)
)

// Permissions lists every permission, for token scopes.
var Permissions = []Permission{
	PermUsersManage, PermDepartmentsManage, PermTokensManage, PermCalendarManage, PermAuditRead,
	PermPersonalRead, PermCasesApply, PermCasesAccept, PermCasesApprove, PermLicencesIssue,
	PermSupervise, PermCatalogEdit, PermDashboards, PermValidate, PermHallCall, PermHallManage,
	PermRatePad, PermRectify, PermEscalate,
}

// rolePermissions is the one table of who may do what.
var rolePermissions = map[Role][]Permission{
	Applicant:    {PermCasesApply},
	Clerk:        {PermCasesAccept, PermPersonalRead, PermValidate, PermHallCall, PermEscalate},
	Approver:     {PermCasesApprove, PermPersonalRead, PermValidate, PermRectify, PermEscalate},
	Issuer:       {PermLicencesIssue, PermPersonalRead, PermHallCall, PermEscalate},
	Supervisor:   {PermSupervise, PermAuditRead, PermPersonalRead, PermDashboards, PermRectify, PermEscalate},
	CatalogAdmin: {PermCatalogEdit},
	Leader:       {PermDashboards},
	Admin:        {PermUsersManage, PermDepartmentsManage, PermTokensManage, PermCalendarManage, PermAuditRead, PermHallManage},
}

// Valid reports whether p is a known permission.
func (p Permission) Valid() bool { return slices.Contains(Permissions, p) }

// Principal is the authenticated caller of a request: a user through a
// session, or a department system through an API token.
type Principal struct {
	UserID         int64
	Username       string
	Name           string
	Kind           Kind
	Roles          []Role
	DepartmentID   int64
	DepartmentCode string    // the department's code, as catalog items name it
	Token          *APIToken // set when authenticated by an API token
	CSRFToken      string    // set for web sessions
	IP             string
}

// Can reports whether the principal holds permission p. A token's
// permissions are its scope; a user's come from their roles.
func (p *Principal) Can(perm Permission) bool {
	if p == nil {
		return false
	}
	if p.Token != nil {
		return slices.Contains(p.Token.Permissions, perm)
	}
	for _, r := range p.Roles {
		if slices.Contains(rolePermissions[r], perm) {
			return true
		}
	}
	return false
}

// Require returns nil if the principal may do perm, an Unauthenticated
// error if there is no principal, and a Forbidden error otherwise.
func (p *Principal) Require(perm Permission) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if !p.Can(perm) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// Has reports whether the principal holds role r.
func (p *Principal) Has(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// Actor is the principal as the audit log names it.
func (p *Principal) Actor() audit.Actor {
	if p == nil {
		return audit.Actor{Name: "anonymous"}
	}
	if p.Token != nil {
		return audit.Actor{ID: 0, Name: "token:" + p.Token.Name, IP: p.IP}
	}
	return audit.Actor{ID: p.UserID, Name: p.Username, IP: p.IP}
}

// principalOf builds the principal of a user.
func principalOf(u User, ip string) *Principal {
	return &Principal{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Kind: u.Kind,
		Roles: u.Roles, DepartmentID: u.DepartmentID, DepartmentCode: u.DepartmentCode, IP: ip}
}
