package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/idcode"
)

// Store is what the identity service needs from storage. Every write takes
// the audit entry that records it, written in the same transaction.
type Store interface {
	CreateDepartment(ctx context.Context, d *Department, a audit.Entry) error
	Departments(ctx context.Context) ([]Department, error)
	CreateUser(ctx context.Context, u *User, a audit.Entry) error
	UserByUsername(ctx context.Context, username string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	SetPassword(ctx context.Context, userID int64, hash string, a audit.Entry) error
	// LoginFailed records a failed login: count is the new failure count and
	// lockedUntil is set when the account becomes locked.
	LoginFailed(ctx context.Context, userID int64, count int, lockedUntil time.Time, a audit.Entry) error
	// LoginSucceeded resets the failure count and creates the session.
	LoginSucceeded(ctx context.Context, s Session, a audit.Entry) error
	Audit(ctx context.Context, a audit.Entry) error
	Session(ctx context.Context, tokenHash string) (Session, User, error)
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash string, a audit.Entry) error
	CreateAPIToken(ctx context.Context, t *APIToken, a audit.Entry) error
	APITokenByHash(ctx context.Context, hash string) (APIToken, error)
	APITokens(ctx context.Context) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, id int64, at time.Time, a audit.Entry) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
}

// Policy holds the login and session rules.
type Policy struct {
	MaxFailedLogins int           // failures before the account locks
	LockFor         time.Duration // how long a lock lasts
	SessionIdle     time.Duration // a session ends after this long unused
	SessionMax      time.Duration // and in any case after this long
	Argon2          Argon2Params
}

// DefaultPolicy locks after 5 failures for 15 minutes; sessions end after
// 30 idle minutes or 12 hours.
var DefaultPolicy = Policy{MaxFailedLogins: 5, LockFor: 15 * time.Minute,
	SessionIdle: 30 * time.Minute, SessionMax: 12 * time.Hour, Argon2: DefaultArgon2}

// Service is the identity domain service.
type Service struct {
	store    Store
	policy   Policy
	now      func() time.Time
	sessions ttlCache[session]
	tokens   ttlCache[APIToken]
}

// NewService returns a Service on store with policy and clock now.
func NewService(store Store, policy Policy, now func() time.Time) *Service {
	return &Service{store: store, policy: policy, now: now}
}

// Policy is the service's login and session policy.
func (s *Service) Policy() Policy { return s.policy }

// dummyHash keeps the time of a login for an unknown user close to that of
// a known one, so usernames cannot be probed by timing. It is made on first
// use: an argon2 hash costs every process start (`version`, `audit verify`,
// a restart after a crash) up to half a second otherwise.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("onevisit-dummy", DefaultArgon2)
	return h
})

// Login checks a username and password and opens a session of kind "web" or
// "api". It returns the raw session token, which is never stored.
func (s *Service) Login(ctx context.Context, username, password, kind, ip string) (string, Session, User, error) {
	fail := apperr.New(apperr.Unauthenticated, "err.login_failed")
	now := s.now()
	actor := audit.Actor{Name: username, IP: ip}
	u, err := s.store.UserByUsername(ctx, strings.TrimSpace(username))
	if apperr.Is(err, apperr.NotFound) {
		_, _ = CheckPassword(dummyHash(), password)
		_ = s.store.Audit(ctx, audit.New(actor, "login.failed", "user", username).With("unknown user"))
		return "", Session{}, User{}, fail
	}
	if err != nil {
		return "", Session{}, User{}, err
	}
	actor.ID = u.ID
	if u.Locked(now) {
		_ = s.store.Audit(ctx, audit.New(actor, "login.refused", "user", u.Username).With("account locked"))
		return "", Session{}, User{}, apperr.New(apperr.TooMany, "err.account_locked", u.LockedUntil)
	}
	if u.Disabled {
		_ = s.store.Audit(ctx, audit.New(actor, "login.refused", "user", u.Username).With("account disabled"))
		return "", Session{}, User{}, fail
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return "", Session{}, User{}, apperr.Wrap(err, "check password")
	}
	if !ok {
		return "", Session{}, User{}, s.loginFailed(ctx, u, actor, now, fail)
	}
	token, sess := s.newSession(u.ID, kind, ip, now)
	if err := s.store.LoginSucceeded(ctx, sess, audit.New(actor, "login", "user", u.Username).With(kind)); err != nil {
		return "", Session{}, User{}, err
	}
	return token, sess, u, nil
}

func (s *Service) loginFailed(ctx context.Context, u User, actor audit.Actor, now time.Time, fail error) error {
	count := u.FailedLogins + 1
	var until time.Time
	action := "login.failed"
	if count >= s.policy.MaxFailedLogins {
		until, count, action = now.Add(s.policy.LockFor), 0, "login.locked"
		fail = apperr.New(apperr.TooMany, "err.account_locked", until)
	}
	if err := s.store.LoginFailed(ctx, u.ID, count, until, audit.New(actor, action, "user", u.Username)); err != nil {
		return err
	}
	return fail
}

func (s *Service) newSession(userID int64, kind, ip string, now time.Time) (string, Session) {
	token := randomToken(32)
	return token, Session{
		TokenHash: HashToken(token), UserID: userID, Kind: kind, CSRFToken: randomToken(24),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.policy.SessionMax), IP: ip,
	}
}

// Authenticate returns the principal of a session token or an API token
// (tokens of department systems start with "ovt_").
func (s *Service) Authenticate(ctx context.Context, token, ip string) (*Principal, error) {
	if strings.HasPrefix(token, apiTokenPrefix) {
		return s.authenticateAPIToken(ctx, token, ip)
	}
	unauth := apperr.New(apperr.Unauthenticated, "err.session_expired")
	hash := HashToken(token)
	now := s.now()
	c, ok := s.sessions.get(hash, now)
	sess, u := c.sess, c.user
	if !ok {
		var err error
		sess, u, err = s.store.Session(ctx, hash)
		if apperr.Is(err, apperr.NotFound) {
			return nil, unauth
		}
		if err != nil {
			return nil, err
		}
	}
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.policy.SessionIdle || u.Disabled {
		s.sessions.drop(hash)
		_ = s.store.DeleteSession(ctx, hash, audit.New(audit.Actor{ID: u.ID, Name: u.Username, IP: ip}, "session.expired", "user", u.Username))
		return nil, unauth
	}
	// Writing on every request would make reads cost a write; a minute's
	// resolution is enough for an idle timeout counted in minutes.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
		sess.LastSeenAt = now
	}
	s.sessions.put(hash, session{sess, u}, now)
	p := principalOf(u, ip)
	p.CSRFToken = sess.CSRFToken
	return p, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, p *Principal, token string) error {
	s.sessions.drop(HashToken(token))
	return s.store.DeleteSession(ctx, HashToken(token), audit.New(p.Actor(), "logout", "user", p.Username))
}

// HashToken is the stored form of a session or API token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewUser is the input for creating a user.
type NewUser struct {
	Username     string
	DisplayName  string
	Password     string
	Kind         Kind
	Roles        []Role
	DepartmentID int64
	IDNumber     string
	USCC         string
	LegalRep     string
	Phone        string
	// SkipPolicy creates the account without the staff password policy
	// (demo seeding only; the caller warns).
	SkipPolicy bool
}

// CreateUser validates and creates a user on behalf of p.
func (s *Service) CreateUser(ctx context.Context, p *Principal, in NewUser) (User, error) {
	if err := p.Require(PermUsersManage); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, p.Actor(), in)
}

// Bootstrap creates a user as the system (for `onevisit user add` and the demo).
func (s *Service) Bootstrap(ctx context.Context, in NewUser) (User, error) {
	return s.createUser(ctx, audit.System, in)
}

func (s *Service) createUser(ctx context.Context, actor audit.Actor, in NewUser) (User, error) {
	u, err := s.validateNewUser(in)
	if err != nil {
		return User{}, err
	}
	if u.PasswordHash, err = HashPassword(in.Password, s.policy.Argon2); err != nil {
		return User{}, apperr.Wrap(err, "hash password")
	}
	u.CreatedAt = s.now()
	if err := s.store.CreateUser(ctx, &u, audit.New(actor, "user.create", "user", u.Username)); err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Service) validateNewUser(in NewUser) (User, error) {
	u := User{Username: strings.TrimSpace(in.Username), DisplayName: strings.TrimSpace(in.DisplayName),
		Kind: in.Kind, Roles: in.Roles, DepartmentID: in.DepartmentID, USCC: strings.ToUpper(strings.TrimSpace(in.USCC)),
		LegalRep: in.LegalRep, Phone: in.Phone}
	fields := map[string]string{}
	if !validUsername(u.Username) {
		fields["username"] = "err.username"
	}
	if u.DisplayName == "" {
		fields["displayName"] = "err.required"
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			fields["roles"] = "err.role_unknown"
		}
	}
	switch u.Kind {
	case Staff:
		if u.DepartmentID == 0 {
			fields["departmentId"] = "err.required"
		}
		if !in.SkipPolicy {
			if err := CheckStaffPassword(u.Username, in.Password); err != nil {
				fields["password"] = apperr.As(err).Fields["password"]
			}
		}
	case Person:
		id, err := idcode.ValidateIDCard(in.IDNumber, s.now())
		if err != nil {
			fields["idNumber"] = "idcode." + string(idcode.ReasonOf(err))
		}
		u.IDNumber = id.Number
	case Legal:
		if _, err := idcode.ValidateUSCC(u.USCC); err != nil {
			fields["uscc"] = "idcode." + string(idcode.ReasonOf(err))
		}
	default:
		fields["kind"] = "err.kind_unknown"
	}
	if u.Kind != Staff && len([]rune(in.Password)) < 8 {
		fields["password"] = "err.password_short"
	}
	if len(fields) > 0 {
		return User{}, &apperr.Error{Kind: apperr.Invalid, Key: "err.invalid_input", Fields: fields}
	}
	return u, nil
}

func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return false
		}
	}
	return true
}
