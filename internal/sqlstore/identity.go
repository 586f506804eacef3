package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// IdentityStore implements identity.Store.
type IdentityStore struct{ db *DB }

// Identity returns the identity store of db.
func (db *DB) Identity() *IdentityStore { return &IdentityStore{db: db} }

var _ identity.Store = (*IdentityStore)(nil)

// insertID runs an INSERT … RETURNING id and returns the id.
func insertID(ctx context.Context, tx *Tx, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// CreateDepartment inserts d and sets its ID.
func (s *IdentityStore) CreateDepartment(ctx context.Context, d *identity.Department, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var parent any
		if d.ParentID != 0 {
			parent = d.ParentID
		}
		id, err := insertID(ctx, tx, `INSERT INTO departments (parent_id, code, name, name_en, uscc, region_code, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, parent, d.Code, d.Name, d.NameEn, d.USCC, d.RegionCode, micros(d.CreatedAt))
		if isUniqueViolation(err) {
			return apperr.Field("code", "err.taken")
		}
		if err != nil {
			return fmt.Errorf("insert department: %w", err)
		}
		d.ID = id
		return appendAudit(ctx, tx, a)
	})
}

// Departments lists all departments by code.
func (s *IdentityStore) Departments(ctx context.Context) ([]identity.Department, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), code, name, name_en, uscc, region_code, created_at
		FROM departments ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []identity.Department
	for rows.Next() {
		var d identity.Department
		var created int64
		if err := rows.Scan(&d.ID, &d.ParentID, &d.Code, &d.Name, &d.NameEn, &d.USCC, &d.RegionCode, &created); err != nil {
			return nil, err
		}
		d.CreatedAt = fromMicros(created)
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// CreateUser inserts u with its roles and sets its ID.
func (s *IdentityStore) CreateUser(ctx context.Context, u *identity.User, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var dept any
		if u.DepartmentID != 0 {
			dept = u.DepartmentID
		}
		id, err := insertID(ctx, tx, `INSERT INTO users (username, display_name, kind, password_hash, department_id,
			id_number, uscc, legal_rep, phone, created_at, password_changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			u.Username, u.DisplayName, string(u.Kind), u.PasswordHash, dept, u.IDNumber, u.USCC, u.LegalRep, u.Phone, micros(u.CreatedAt))
		if isUniqueViolation(err) {
			return apperr.Field("username", "err.taken")
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		u.ID = id
		for _, r := range u.Roles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, id, string(r)); err != nil {
				return fmt.Errorf("insert role: %w", err)
			}
		}
		return appendAudit(ctx, tx, a)
	})
}

const userColumns = `u.id, u.username, u.display_name, u.kind, u.password_hash, COALESCE(u.department_id, 0),
	u.id_number, u.uscc, u.legal_rep, u.phone, u.failed_logins, u.locked_until, u.disabled, u.created_at,
	COALESCE((SELECT STRING_AGG(role, ',') FROM user_roles r WHERE r.user_id = u.id), ''),
	COALESCE((SELECT code FROM departments d WHERE d.id = u.department_id), '')`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(r rowScanner) (identity.User, error) {
	var u identity.User
	var kind, roles string
	var locked, created int64
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &kind, &u.PasswordHash, &u.DepartmentID,
		&u.IDNumber, &u.USCC, &u.LegalRep, &u.Phone, &u.FailedLogins, &locked, &u.Disabled, &created, &roles, &u.DepartmentCode)
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "err.user_not_found")
	}
	if err != nil {
		return u, err
	}
	u.Kind, u.LockedUntil, u.CreatedAt = identity.Kind(kind), fromMicros(locked), fromMicros(created)
	if roles != "" {
		for _, r := range strings.Split(roles, ",") {
			u.Roles = append(u.Roles, identity.Role(r))
		}
	}
	return u, nil
}

// UserByUsername finds a user by username.
func (s *IdentityStore) UserByUsername(ctx context.Context, username string) (identity.User, error) {
	return scanUser(s.db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.username = $1`, username))
}

// UserByID finds a user by id.
func (s *IdentityStore) UserByID(ctx context.Context, id int64) (identity.User, error) {
	return scanUser(s.db.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
}

// Users lists all users by username.
func (s *IdentityStore) Users(ctx context.Context) ([]identity.User, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []identity.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// SetPassword replaces a user's password hash.
func (s *IdentityStore) SetPassword(ctx context.Context, userID int64, hash string, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, failed_logins = 0, locked_until = 0 WHERE id = $3`,
			hash, micros(tx.Now()), userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

// LoginFailed records a failed login and, when lockedUntil is set, the lock.
func (s *IdentityStore) LoginFailed(ctx context.Context, userID int64, count int, lockedUntil time.Time, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3`,
			count, nullMicros(lockedUntil), userID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

// LoginSucceeded clears the failure count and creates the session.
func (s *IdentityStore) LoginSucceeded(ctx context.Context, sess identity.Session, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1`, sess.UserID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at, ip)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, sess.TokenHash, sess.UserID, sess.Kind, sess.CSRFToken,
			micros(sess.CreatedAt), micros(sess.LastSeenAt), micros(sess.ExpiresAt), sess.IP); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// Audit writes an entry that records no other change.
func (s *IdentityStore) Audit(ctx context.Context, a audit.Entry) error { return s.db.Audit(ctx, a) }

// Session returns a session and its user.
func (s *IdentityStore) Session(ctx context.Context, tokenHash string) (identity.Session, identity.User, error) {
	var sess identity.Session
	var created, seen, expires int64
	err := s.db.read.QueryRowContext(ctx, `SELECT token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at, ip
		FROM sessions WHERE token_hash = $1`, tokenHash).Scan(&sess.TokenHash, &sess.UserID, &sess.Kind, &sess.CSRFToken,
		&created, &seen, &expires, &sess.IP)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, identity.User{}, apperr.New(apperr.NotFound, "err.session_expired")
	}
	if err != nil {
		return sess, identity.User{}, err
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	u, err := s.UserByID(ctx, sess.UserID)
	return sess, u, err
}

// TouchSession records that a session was used at at.
func (s *IdentityStore) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, micros(at), tokenHash)
		return err
	})
}

// DeleteSession ends a session.
func (s *IdentityStore) DeleteSession(ctx context.Context, tokenHash string, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
			return err
		}
		return appendAudit(ctx, tx, a)
	})
}

func joinPerms(ps []identity.Permission) string {
	ss := make([]string, len(ps))
	for i, p := range ps {
		ss[i] = string(p)
	}
	return strings.Join(ss, ",")
}

func splitPerms(s string) []identity.Permission {
	var ps []identity.Permission
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			ps = append(ps, identity.Permission(p))
		}
	}
	return ps
}

// CreateAPIToken inserts t and sets its ID.
func (s *IdentityStore) CreateAPIToken(ctx context.Context, t *identity.APIToken, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO api_tokens (name, prefix, token_hash, department_id, permissions, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.Name, t.Prefix, t.Hash, t.DepartmentID, joinPerms(t.Permissions),
			t.CreatedBy, micros(t.CreatedAt), nullMicros(t.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert api token: %w", err)
		}
		t.ID = id
		return appendAudit(ctx, tx, a)
	})
}

const tokenColumns = `t.id, t.name, t.prefix, t.token_hash, t.department_id, t.permissions, t.created_by, t.created_at,
	t.expires_at, t.revoked_at, t.last_used_at, COALESCE((SELECT code FROM departments d WHERE d.id = t.department_id), '')`

func scanToken(r rowScanner) (identity.APIToken, error) {
	var t identity.APIToken
	var perms string
	var created, expires, revoked, used int64
	err := r.Scan(&t.ID, &t.Name, &t.Prefix, &t.Hash, &t.DepartmentID, &perms, &t.CreatedBy, &created, &expires, &revoked, &used, &t.DepartmentCode)
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.New(apperr.NotFound, "err.token_invalid")
	}
	t.Permissions = splitPerms(perms)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt = fromMicros(created), fromMicros(expires), fromMicros(revoked), fromMicros(used)
	return t, err
}

// APITokenByHash finds a token by the hash of its secret.
func (s *IdentityStore) APITokenByHash(ctx context.Context, hash string) (identity.APIToken, error) {
	return scanToken(s.db.read.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t WHERE t.token_hash = $1`, hash))
}

// APITokens lists all tokens, newest first.
func (s *IdentityStore) APITokens(ctx context.Context) ([]identity.APIToken, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t ORDER BY t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []identity.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeAPIToken marks a token revoked.
func (s *IdentityStore) RevokeAPIToken(ctx context.Context, id int64, at time.Time, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0`, micros(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "err.token_not_found")
		}
		return appendAudit(ctx, tx, a)
	})
}

// TouchAPIToken records that a token was used at at.
func (s *IdentityStore) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(at), id)
		return err
	})
}
