package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/delivery"
	"onevisit/internal/outbox"
)

// DeliveryStore keeps the delivery of results: choices, EMS shipment
// updates and pickup handovers.
type DeliveryStore struct{ db *DB }

// Deliveries returns the delivery store of db.
func (db *DB) Deliveries() *DeliveryStore { return &DeliveryStore{db: db} }

var _ delivery.Store = (*DeliveryStore)(nil)

// codeSent is the delivery_updates status that records a pickup code sent.
const codeSent = "code_sent"

// SaveDelivery creates or replaces the case's delivery. A new choice
// starts afresh: no waybill, no wrong attempts. The pickup code SMS is
// queued with the negated id of the update that records it as event id.
func (s *DeliveryStore) SaveDelivery(ctx context.Context, d *delivery.Delivery, msgs []outbox.Message, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		ad := d.Address
		_, err := tx.ExecContext(ctx, `INSERT INTO deliveries (case_no, method, free, recipient, phone, province, city,
			district, street, tracking, status, place, code_hash, attempts, chosen_by, chosen_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12, 0, $13, $14, $15)
			ON CONFLICT (case_no) DO UPDATE SET method = excluded.method, free = excluded.free,
				recipient = excluded.recipient, phone = excluded.phone, province = excluded.province, city = excluded.city,
				district = excluded.district, street = excluded.street, tracking = '', status = excluded.status,
				place = excluded.place, code_hash = excluded.code_hash, attempts = 0, chosen_by = excluded.chosen_by,
				chosen_at = excluded.chosen_at, updated_at = excluded.updated_at`,
			d.CaseNo, string(d.Method), boolInt(d.Free), ad.Recipient, ad.Phone, ad.Province, ad.City, ad.District, ad.Street,
			string(d.Status), d.Place, d.CodeHash, d.ChosenBy, micros(d.ChosenAt), micros(d.UpdatedAt))
		if err != nil {
			return fmt.Errorf("save delivery: %w", err)
		}
		if d.Method.Pickup() {
			if err := queueCode(ctx, tx, d, msgs); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, a)
	})
}

// queueCode records that a pickup code was sent and queues its SMS.
func queueCode(ctx context.Context, tx *Tx, d *delivery.Delivery, msgs []outbox.Message) error {
	id, err := insertID(ctx, tx, `INSERT INTO delivery_updates (case_no, status, note, source, at) VALUES ($1, $2, '', $3, $4)`,
		d.CaseNo, codeSent, d.ChosenBy, micros(d.ChosenAt))
	if err != nil {
		return fmt.Errorf("record pickup code: %w", err)
	}
	for _, m := range msgs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, recipient, case_no, event_id, template, subject, text,
			status, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			string(m.Channel), m.Recipient, m.CaseNo, -id, m.Template, m.Subject, m.Text, string(m.Status),
			micros(m.CreatedAt), micros(m.NextAttemptAt)); err != nil {
			return fmt.Errorf("queue pickup code: %w", err)
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const deliveryColumns = `case_no, method, free, recipient, phone, province, city, district, street, tracking, status,
	place, code_hash, attempts, chosen_by, chosen_at, updated_at`

// Delivery is a case's delivery with its shipment updates and handover.
func (s *DeliveryStore) Delivery(ctx context.Context, caseNo string) (delivery.Delivery, error) {
	return s.load(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE case_no = $1`, caseNo)
}

// DeliveryByTracking finds a delivery by EMS waybill number.
func (s *DeliveryStore) DeliveryByTracking(ctx context.Context, tracking string) (delivery.Delivery, error) {
	return s.load(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE tracking = $1 AND tracking <> ''`, tracking)
}

func (s *DeliveryStore) load(ctx context.Context, query string, arg string) (delivery.Delivery, error) {
	var d delivery.Delivery
	var free int
	var chosen, updated int64
	ad := &d.Address
	err := s.db.read.QueryRowContext(ctx, query, arg).Scan(&d.CaseNo, &d.Method, &free, &ad.Recipient, &ad.Phone,
		&ad.Province, &ad.City, &ad.District, &ad.Street, &d.Tracking, &d.Status, &d.Place, &d.CodeHash, &d.Attempts,
		&d.ChosenBy, &chosen, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, apperr.New(apperr.NotFound, "err.delivery.none")
	}
	if err != nil {
		return d, fmt.Errorf("load delivery: %w", err)
	}
	d.Free, d.ChosenAt, d.UpdatedAt = free == 1, fromMicros(chosen), fromMicros(updated)
	if d.Updates, err = s.updates(ctx, d.CaseNo); err != nil {
		return d, err
	}
	return d, s.loadHandover(ctx, &d)
}

// updates lists a case's shipment updates since its delivery was chosen.
func (s *DeliveryStore) updates(ctx context.Context, caseNo string) ([]delivery.Update, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT u.status, u.note, u.source, u.at FROM delivery_updates u
		JOIN deliveries d ON d.case_no = u.case_no WHERE u.case_no = $1 AND u.status <> $2 AND u.at >= d.chosen_at
		ORDER BY u.id`, caseNo, codeSent)
	if err != nil {
		return nil, fmt.Errorf("delivery updates: %w", err)
	}
	defer rows.Close()
	var list []delivery.Update
	for rows.Next() {
		var u delivery.Update
		var at int64
		if err := rows.Scan(&u.Status, &u.Note, &u.Source, &at); err != nil {
			return nil, err
		}
		u.At = fromMicros(at)
		list = append(list, u)
	}
	return list, rows.Err()
}

// loadHandover sets d.Handover if the result was handed over.
func (s *DeliveryStore) loadHandover(ctx context.Context, d *delivery.Delivery) error {
	var h delivery.Handover
	var at int64
	err := s.db.read.QueryRowContext(ctx, `SELECT by_name, place, to_name, to_id, to_role, at FROM handovers WHERE case_no = $1`,
		d.CaseNo).Scan(&h.By, &h.Window, &h.ToName, &h.ToID, &h.ToRole, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load handover: %w", err)
	}
	h.At, d.Handover = fromMicros(at), &h
	return nil
}

// UpdateShipment moves an EMS shipment from status from and records u.
func (s *DeliveryStore) UpdateShipment(ctx context.Context, caseNo string, from delivery.Status, tracking string, u delivery.Update, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = $1, updated_at = $2,
			tracking = CASE WHEN $3 = '' THEN tracking ELSE $3 END
			WHERE case_no = $4 AND status = $5 AND method = 'ems'`, string(u.Status), micros(u.At), tracking, caseNo, string(from))
		if isUniqueViolation(err) {
			return apperr.Field("trackingNo", "err.delivery.tracking_taken")
		}
		if err != nil {
			return fmt.Errorf("update shipment: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "err.delivery.moved")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_updates (case_no, status, note, source, at) VALUES ($1, $2, $3, $4, $5)`,
			caseNo, string(u.Status), u.Note, u.Source, micros(u.At)); err != nil {
			return fmt.Errorf("record shipment update: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// PickupFailed counts a wrong pickup code, with its audit entry.
func (s *DeliveryStore) PickupFailed(ctx context.Context, caseNo string, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1 WHERE case_no = $1`, caseNo); err != nil {
			return fmt.Errorf("count wrong pickup code: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}

// RecordHandover stores the handover of a case's result, once.
func (s *DeliveryStore) RecordHandover(ctx context.Context, caseNo string, h delivery.Handover, a audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO handovers (case_no, by_name, place, to_name, to_id, to_role, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, caseNo, h.By, h.Window, h.ToName, h.ToID, h.ToRole, micros(h.At))
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "err.delivery.handed_over")
		}
		if err != nil {
			return fmt.Errorf("record handover: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET updated_at = $1 WHERE case_no = $2`, micros(h.At), caseNo); err != nil {
			return fmt.Errorf("touch delivery: %w", err)
		}
		return appendAudit(ctx, tx, a)
	})
}
