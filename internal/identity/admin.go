package identity

import (
	"context"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/idcode"
)

// apiTokenPrefix starts every department-system token, so that a leaked one
// is easy to recognise and to tell from a session token.
const apiTokenPrefix = "ovt_"

// Users lists all users for an administrator.
func (s *Service) Users(ctx context.Context, p *Principal) ([]User, error) {
	if err := p.Require(PermUsersManage); err != nil {
		return nil, err
	}
	return s.store.Users(ctx)
}

// User returns the account of the principal itself.
func (s *Service) User(ctx context.Context, id int64) (User, error) { return s.store.UserByID(ctx, id) }

// PersonalData is an applicant's personal data as staff may see it.
type PersonalData struct {
	UserID   int64  `json:"userId"`
	Name     string `json:"name"`
	IDNumber string `json:"idNumber,omitempty"`
	USCC     string `json:"uscc,omitempty"`
	LegalRep string `json:"legalRep,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Personal returns an applicant's personal data to staff with the right to
// read it, and records the read in the audit log. An applicant may read
// their own without it being audited.
func (s *Service) Personal(ctx context.Context, p *Principal, userID int64, purpose string) (PersonalData, error) {
	if p == nil {
		return PersonalData{}, apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	self := p.Token == nil && p.UserID == userID
	if !self {
		if err := p.Require(PermPersonalRead); err != nil {
			return PersonalData{}, err
		}
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return PersonalData{}, err
	}
	if !self {
		a := audit.New(p.Actor(), "personal.read", "user", strconv.FormatInt(userID, 10)).With(purpose)
		if err := s.store.Audit(ctx, a); err != nil {
			return PersonalData{}, err
		}
	}
	return PersonalData{UserID: u.ID, Name: u.DisplayName, IDNumber: u.IDNumber, USCC: u.USCC, LegalRep: u.LegalRep, Phone: u.Phone}, nil
}

// MaskedID is the ID number of u as lists show it.
func MaskedID(u User) string {
	if u.IDNumber == "" {
		return ""
	}
	return idcode.IDCard{Number: u.IDNumber}.Mask()
}

// Departments lists the departments; anyone logged in may see them.
func (s *Service) Departments(ctx context.Context) ([]Department, error) {
	return s.store.Departments(ctx)
}

// CreateDepartment validates and creates a department on behalf of p
// (nil p means the system, for seeding).
func (s *Service) CreateDepartment(ctx context.Context, p *Principal, d Department) (Department, error) {
	actor := audit.System
	if p != nil {
		if err := p.Require(PermDepartmentsManage); err != nil {
			return Department{}, err
		}
		actor = p.Actor()
	}
	d.Code, d.Name, d.USCC = strings.TrimSpace(d.Code), strings.TrimSpace(d.Name), strings.ToUpper(strings.TrimSpace(d.USCC))
	fields := map[string]string{}
	if d.Code == "" {
		fields["code"] = "err.required"
	}
	if d.Name == "" {
		fields["name"] = "err.required"
	}
	if d.USCC != "" {
		if _, err := idcode.ValidateUSCC(d.USCC); err != nil {
			fields["uscc"] = "idcode." + string(idcode.ReasonOf(err))
		}
	}
	if d.RegionCode != "" && !sixDigits(d.RegionCode) {
		fields["regionCode"] = "err.region_code"
	}
	if len(fields) > 0 {
		return Department{}, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	d.CreatedAt = s.now()
	err := s.store.CreateDepartment(ctx, &d, audit.New(actor, "department.create", "department", d.Code))
	return d, err
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NewAPIToken is the input for creating a department-system token.
type NewAPIToken struct {
	Name         string
	DepartmentID int64
	Permissions  []Permission
	ExpiresAt    time.Time // zero: no expiry
}

// CreateAPIToken creates a token and returns its secret, which is shown
// once and stored only as a hash.
func (s *Service) CreateAPIToken(ctx context.Context, p *Principal, in NewAPIToken) (string, APIToken, error) {
	if err := p.Require(PermTokensManage); err != nil {
		return "", APIToken{}, err
	}
	fields := map[string]string{}
	if strings.TrimSpace(in.Name) == "" {
		fields["name"] = "err.required"
	}
	if in.DepartmentID == 0 {
		fields["departmentId"] = "err.required"
	}
	if len(in.Permissions) == 0 {
		fields["permissions"] = "err.required"
	}
	for _, perm := range in.Permissions {
		if !perm.Valid() {
			fields["permissions"] = "err.permission_unknown"
		}
	}
	if len(fields) > 0 {
		return "", APIToken{}, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	secret := apiTokenPrefix + randomToken(32)
	t := APIToken{Name: strings.TrimSpace(in.Name), Prefix: secret[:10], Hash: HashToken(secret),
		DepartmentID: in.DepartmentID, Permissions: in.Permissions, CreatedBy: p.UserID, CreatedAt: s.now(), ExpiresAt: in.ExpiresAt}
	if err := s.store.CreateAPIToken(ctx, &t, audit.New(p.Actor(), "token.create", "api_token", t.Name)); err != nil {
		return "", APIToken{}, err
	}
	return secret, t, nil
}

// APITokens lists tokens for an administrator.
func (s *Service) APITokens(ctx context.Context, p *Principal) ([]APIToken, error) {
	if err := p.Require(PermTokensManage); err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx)
}

// RevokeAPIToken revokes a token at once.
func (s *Service) RevokeAPIToken(ctx context.Context, p *Principal, id int64) error {
	if err := p.Require(PermTokensManage); err != nil {
		return err
	}
	err := s.store.RevokeAPIToken(ctx, id, s.now(), audit.New(p.Actor(), "token.revoke", "api_token", strconv.FormatInt(id, 10)))
	s.tokens.clear()
	return err
}

func (s *Service) authenticateAPIToken(ctx context.Context, secret, ip string) (*Principal, error) {
	hash, now := HashToken(secret), s.now()
	t, ok := s.tokens.get(hash, now)
	var err error
	if !ok {
		t, err = s.store.APITokenByHash(ctx, hash)
	}
	if apperr.Is(err, apperr.NotFound) || (err == nil && !t.Active(now)) {
		s.tokens.drop(hash)
		return nil, apperr.New(apperr.Unauthenticated, "err.token_invalid")
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
		t.LastUsedAt = now
	}
	s.tokens.put(hash, t, now)
	return &Principal{Username: "token:" + t.Name, Name: t.Name, Kind: Staff, DepartmentID: t.DepartmentID, DepartmentCode: t.DepartmentCode, Token: &t, IP: ip}, nil
}

// UserExists reports whether an account with username exists.
func (s *Service) UserExists(ctx context.Context, username string) (bool, error) {
	_, err := s.store.UserByUsername(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// ResetPassword sets a user's password and unlocks the account, as the
// system (for operators on the command line and the demo).
func (s *Service) ResetPassword(ctx context.Context, username, password string) error {
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password, s.policy.Argon2)
	if err != nil {
		return apperr.Wrap(err, "hash password")
	}
	return s.store.SetPassword(ctx, u.ID, hash, audit.New(audit.System, "user.password_reset", "user", u.Username))
}
