package sqlstore

import (
	"context"
	"fmt"

	"onevisit/internal/audit"
	"onevisit/internal/calendar"
)

// CalendarRevisions lists the stored calendar revisions with their days, in
// order of publication.
func (db *DB) CalendarRevisions(ctx context.Context) ([]calendar.Revision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.published_at, r.note, d.day, d.kind, d.name
		FROM calendar_revisions r JOIN calendar_days d ON d.revision_id = r.id
		ORDER BY r.published_at, r.id, d.day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var revs []calendar.Revision
	for rows.Next() {
		var id, published int64
		var note, day, kind, name string
		if err := rows.Scan(&id, &published, &note, &day, &kind, &name); err != nil {
			return nil, err
		}
		d, err := calendar.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("calendar revision %d: %w", id, err)
		}
		if len(revs) == 0 || revs[len(revs)-1].ID != id {
			revs = append(revs, calendar.Revision{ID: id, PublishedAt: fromMicros(published), Note: note})
		}
		r := &revs[len(revs)-1]
		r.Days = append(r.Days, calendar.Day{Date: d, Kind: calendar.Kind(kind), Name: name})
	}
	return revs, rows.Err()
}

// AddCalendarRevision stores r and its days and sets r.ID.
func (db *DB) AddCalendarRevision(ctx context.Context, r *calendar.Revision, a audit.Entry) error {
	return db.Update(ctx, func(tx *Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO calendar_revisions (published_at, loaded_at, loaded_by, note)
			VALUES ($1, $2, $3, $4)`, micros(r.PublishedAt), micros(tx.Now()), a.ActorID, r.Note)
		if err != nil {
			return fmt.Errorf("insert calendar revision: %w", err)
		}
		for _, d := range r.Days {
			if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (revision_id, day, kind, name) VALUES ($1, $2, $3, $4)`,
				id, d.Date.String(), string(d.Kind), d.Name); err != nil {
				return fmt.Errorf("insert calendar day %s: %w", d.Date, err)
			}
		}
		r.ID = id
		return appendAudit(ctx, tx, a)
	})
}
