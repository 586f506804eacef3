package sqlstore

import (
	"context"
	"fmt"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/notify"
)

// DB implements notify.Store itself, as it does the audit log: both are
// written to by every domain. Notifications are not audited: each one
// reports a change that was audited when it was made, and reading a
// notification changes nothing of record.
var _ notify.Store = (*DB)(nil)

// InsertNotification stores n and sets n.ID.
func (db *DB) InsertNotification(ctx context.Context, n *notify.Notification) error {
	return db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO notifications (department_code, kind, title, body, link, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, n.DepartmentCode, n.Kind, n.Title, n.Body, n.Link, micros(n.CreatedAt))
		if err != nil {
			return fmt.Errorf("insert notification: %w", err)
		}
		n.ID = id
		return nil
	})
}

// Notifications lists a department's notifications, newest first.
func (db *DB) Notifications(ctx context.Context, deptCode string, unreadOnly bool, limit int) ([]notify.Notification, error) {
	q := `SELECT id, department_code, kind, title, body, link, created_at, read_at FROM notifications
		WHERE department_code = $1`
	if unreadOnly {
		q += ` AND read_at = 0`
	}
	rows, err := db.read.QueryContext(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT $2`, deptCode, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ns := []notify.Notification{}
	for rows.Next() {
		var n notify.Notification
		var created, read int64
		if err := rows.Scan(&n.ID, &n.DepartmentCode, &n.Kind, &n.Title, &n.Body, &n.Link, &created, &read); err != nil {
			return nil, err
		}
		n.CreatedAt, n.ReadAt = fromMicros(created), fromMicros(read)
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

// MarkNotificationRead sets the read time of a department's notification;
// one already read keeps its first read time.
func (db *DB) MarkNotificationRead(ctx context.Context, deptCode string, id int64, at time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE id = $1 AND department_code = $2`,
			id, deptCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "err.notify.not_found")
		}
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at = 0`, micros(at), id)
		return err
	})
}

// CountUnreadNotifications counts a department's unread notifications.
func (db *DB) CountUnreadNotifications(ctx context.Context, deptCode string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE department_code = $1 AND read_at = 0`,
		deptCode).Scan(&n)
	return n, err
}

// MarkAllNotificationsRead sets the read time of a department's unread
// notifications.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, deptCode string, at time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE department_code = $2 AND read_at = 0`,
			micros(at), deptCode)
		return err
	})
}
