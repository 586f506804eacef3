package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"onevisit/internal/audit"
)

// appendAudit seals e as the next entry of the chain and writes it within
// tx. Every write transaction is a group-committed batch: the head is read
// once per batch (under its row lock on PostgreSQL, so batches of other
// processes queue on the chain instead of forking it), advanced in memory
// and written back once before the commit (auditHead).
func appendAudit(ctx context.Context, tx *Tx, e audit.Entry) error {
	return tx.head.append(ctx, tx, e)
}

func insertAudit(ctx context.Context, tx *Tx, e audit.Entry) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, actor_id, actor, action, object_type, object_id, ip, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.Seq, micros(e.At), e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.IP, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	return nil
}

// auditHead is the chain's head within one group-committed transaction:
// seq is the next entry's number, hash the last entry's hash. It is read
// once, under the head row's lock on PostgreSQL, and written back before
// the commit. A caller whose work is rolled back to its savepoint restores
// the head it found (and, on PostgreSQL, the lock taken after the
// savepoint is released with it, so the next reader takes it again).
type auditHead struct {
	loaded, dirty bool
	seq           int64
	hash          string
}

func (h *auditHead) append(ctx context.Context, tx *Tx, e audit.Entry) error {
	if !h.loaded {
		q := `SELECT seq, hash FROM audit_head WHERE id = 1`
		if tx.Engine() == Postgres {
			q += ` FOR UPDATE` // other processes' batches wait for this one's commit
		}
		if err := tx.QueryRowContext(ctx, q).Scan(&h.seq, &h.hash); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		h.loaded = true
	}
	e.Seal(h.seq, h.hash, tx.Now())
	if err := insertAudit(ctx, tx, e); err != nil {
		return err
	}
	h.seq, h.hash, h.dirty = h.seq+1, e.Hash, true
	return nil
}

// flush writes the head back; the group committer calls it before COMMIT.
func (h *auditHead) flush(ctx context.Context, tx *Tx) error {
	if !h.dirty {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, h.seq, h.hash)
	return err
}

// Audit writes an entry on its own, for events that change nothing else
// (a failed login, a read of personal data).
func (db *DB) Audit(ctx context.Context, e audit.Entry) error {
	return db.Update(ctx, func(tx *Tx) error { return appendAudit(ctx, tx, e) })
}

// VerifyAudit walks the whole audit log in order and checks the chain.
// It returns the number of entries checked and the first break, if any.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var v audit.Verifier
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count(), err
		}
		if err := v.Next(e); err != nil {
			return v.Count(), err
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count(), err
	}
	var headSeq int64
	var headHash string
	if err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return v.Count(), err
	}
	return v.Count(), v.End(headSeq, headHash)
}

// AuditEntries returns the newest entries, newest first, optionally for one
// object.
func (db *DB) AuditEntries(ctx context.Context, objectType, objectID string, limit int) ([]audit.Entry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	args := []any{}
	if objectType != "" {
		q += ` WHERE object_type = $1 AND object_id = $2`
		args = append(args, objectType, objectID)
	}
	q += fmt.Sprintf(` ORDER BY seq DESC LIMIT %d`, limit)
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

const auditColumns = `seq, at, actor_id, actor, action, object_type, object_id, ip, detail, prev_hash, hash`

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.IP, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = fromMicros(at)
	return e, err
}
