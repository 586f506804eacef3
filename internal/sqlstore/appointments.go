package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"onevisit/internal/apperr"
	"onevisit/internal/appointments"
	"onevisit/internal/audit"
	"onevisit/internal/calendar"
)

// AppointmentStore implements appointments.Store.
type AppointmentStore struct{ db *DB }

// Appointments returns the appointment store of db.
func (db *DB) Appointments() *AppointmentStore { return &AppointmentStore{db: db} }

var _ appointments.Store = (*AppointmentStore)(nil)

const appointmentSelect = `SELECT a.id, a.code, a.hall_id, h.code, a.item_code, a.item_name, a.department, a.day, a.starts, a.ends,
	a.applicant_id, a.name, a.status, a.ticket, a.created_at FROM appointments a JOIN halls h ON h.id = a.hall_id`

func scanAppointment(r rowScanner) (appointments.Appointment, error) {
	var a appointments.Appointment
	var day, status string
	var created int64
	err := r.Scan(&a.ID, &a.Code, &a.HallID, &a.HallCode, &a.ItemCode, &a.ItemName, &a.Department, &day, &a.Starts, &a.Ends,
		&a.ApplicantID, &a.Name, &status, &a.Ticket, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "err.appt.not_found")
	}
	if err != nil {
		return a, err
	}
	a.Day, _ = calendar.ParseDate(day)
	a.Status, a.CreatedAt = appointments.Status(status), fromMicros(created)
	return a, nil
}

// Appointment returns a booking by its confirmation code.
func (s *AppointmentStore) Appointment(ctx context.Context, code string) (appointments.Appointment, error) {
	return scanAppointment(s.db.read.QueryRowContext(ctx, appointmentSelect+` WHERE a.code = $1`, code))
}

// OfApplicant lists an applicant's bookings from day on.
func (s *AppointmentStore) OfApplicant(ctx context.Context, applicantID int64, from calendar.Date) ([]appointments.Appointment, error) {
	rows, err := s.db.read.QueryContext(ctx, appointmentSelect+` WHERE a.applicant_id = $1 AND a.day >= $2
		ORDER BY a.day, a.starts, a.id`, applicantID, from.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var as []appointments.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return as, rows.Err()
}

// Booked returns the booked count per slot start of an item's day.
func (s *AppointmentStore) Booked(ctx context.Context, itemCode string, day calendar.Date) (map[string]int, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT starts, booked FROM appointment_slots WHERE item_code = $1 AND day = $2`,
		itemCode, day.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var starts string
		var n int
		if err := rows.Scan(&starts, &n); err != nil {
			return nil, err
		}
		m[starts] = n
	}
	return m, rows.Err()
}

// claimPlace takes one place in a slot. The counter row is created on first
// use; the increment is conditional on a free place and checked by rows
// affected, in one statement, so no two transactions can both take the
// last place (on PostgreSQL the second UPDATE waits for the first's row
// lock and re-checks booked < capacity against the committed value; SQLite
// runs one writer at a time).
func claimPlace(ctx context.Context, tx *Tx, item string, day calendar.Date, starts string, capacity int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO appointment_slots (item_code, day, starts, capacity, booked)
		VALUES ($1, $2, $3, $4, 0) ON CONFLICT (item_code, day, starts) DO NOTHING`, item, day.String(), starts, capacity); err != nil {
		return fmt.Errorf("slot row: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE appointment_slots SET booked = booked + 1
		WHERE item_code = $1 AND day = $2 AND starts = $3 AND booked < capacity`, item, day.String(), starts)
	if err != nil {
		return fmt.Errorf("claim slot: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.TooMany, "err.appt.slot_full")
	}
	return nil
}

// freePlace gives a place of a slot back.
func freePlace(ctx context.Context, tx *Tx, item, day, starts string) error {
	_, err := tx.ExecContext(ctx, `UPDATE appointment_slots SET booked = booked - 1
		WHERE item_code = $1 AND day = $2 AND starts = $3 AND booked > 0`, item, day, starts)
	return err
}

// Book claims a place in a's slot and stores a.
func (s *AppointmentStore) Book(ctx context.Context, a *appointments.Appointment, capacity int, e audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		if err := claimPlace(ctx, tx, a.ItemCode, a.Day, a.Starts, capacity); err != nil {
			return err
		}
		now := micros(tx.Now())
		var err error
		a.ID, err = insertID(ctx, tx, `INSERT INTO appointments (code, hall_id, item_code, item_name, department, day, starts, ends,
			applicant_id, name, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			a.Code, a.HallID, a.ItemCode, a.ItemName, a.Department, a.Day.String(), a.Starts, a.Ends, a.ApplicantID, a.Name,
			string(a.Status), now)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "err.appt.already_booked")
		}
		if err != nil {
			return fmt.Errorf("insert appointment: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
}

// Reschedule moves a booked appointment to a's day and start.
func (s *AppointmentStore) Reschedule(ctx context.Context, a *appointments.Appointment, capacity int, e audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var day, starts string
		err := tx.QueryRowContext(ctx, `SELECT day, starts FROM appointments WHERE code = $1 AND status = 'booked'`, a.Code).Scan(&day, &starts)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "err.appt.not_active")
		}
		if err != nil {
			return err
		}
		if day == a.Day.String() && starts == a.Starts {
			return nil
		}
		if err := claimPlace(ctx, tx, a.ItemCode, a.Day, a.Starts, capacity); err != nil {
			return err
		}
		if err := freePlace(ctx, tx, a.ItemCode, day, starts); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE appointments SET day = $1, starts = $2, ends = $3, updated_at = $4 WHERE code = $5`,
			a.Day.String(), a.Starts, a.Ends, micros(tx.Now()), a.Code)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "err.appt.already_booked")
		}
		if err != nil {
			return fmt.Errorf("reschedule: %w", err)
		}
		return appendAudit(ctx, tx, e)
	})
}

// Cancel marks a booked appointment cancelled and frees its place.
func (s *AppointmentStore) Cancel(ctx context.Context, code string, e audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		var item, day, starts string
		err := tx.QueryRowContext(ctx, `UPDATE appointments SET status = 'cancelled', updated_at = $1
			WHERE code = $2 AND status = 'booked' RETURNING item_code, day, starts`, micros(tx.Now()), code).Scan(&item, &day, &starts)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "err.appt.not_active")
		}
		if err != nil {
			return fmt.Errorf("cancel: %w", err)
		}
		if err := freePlace(ctx, tx, item, day, starts); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
}

// SetStatus moves a booking from one status to another.
func (s *AppointmentStore) SetStatus(ctx context.Context, code string, from, to appointments.Status, ticket string, e audit.Entry) error {
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE appointments SET status = $1, ticket = $2, updated_at = $3 WHERE code = $4 AND status = $5`,
			string(to), ticket, micros(tx.Now()), code, string(from))
		if err != nil {
			return fmt.Errorf("appointment status: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "err.appt.checked_in")
		}
		return appendAudit(ctx, tx, e)
	})
}
