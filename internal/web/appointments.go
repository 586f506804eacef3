package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"onevisit/internal/apperr"
	"onevisit/internal/appointments"
	"onevisit/internal/calendar"
	"onevisit/internal/catalog"
)

// The appointment pages (预约办理), mobile first: the applicant's bookings
// and the bookable items, a day-and-slot picker for booking or moving a
// booking, and a booking with its confirmation code and QR. The kiosk's
// check-in is handleKioskCheckIn.

// apptData is what the appointment pages get.
type apptData struct {
	Items      []catalog.Item
	Item       catalog.Item
	Mine       []appointments.Appointment
	Appt       appointments.Appointment
	Days       []calendar.Date
	Day        calendar.Date
	Slots      []appointments.Slot
	QR         template.URL
	Reschedule string // the code of the booking being moved, if any
	Blocked    calendar.Date
	Now        time.Time
}

// Missed reports whether a booking is a no-show now.
func (d apptData) Missed(a appointments.Appointment) bool { return a.Missed(d.Now) }

// Active reports whether a booking can still be changed.
func (d apptData) Active(a appointments.Appointment) bool { return a.Active(d.Now) }

func (s *Server) withAppointments(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.appointments == nil || s.catalog == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

func (s *Server) handleAppointments(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), principalOf(r.Context())
	mine, err := s.appointments.Mine(ctx, p)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, err := s.appointments.Items(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	blocked, err := s.appointments.BlockedUntil(ctx, p.UserID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.appointments")
	v.Flash = r.URL.Query().Get("flash")
	v.Data = apptData{Mine: mine, Items: items, Blocked: blocked, Now: time.Now()}
	s.render(w, r, http.StatusOK, "appointments", v)
}

// handleAppointmentNew is the slot picker: ?item= and ?date=, and
// ?reschedule= when moving a booking.
func (s *Server) handleAppointmentNew(w http.ResponseWriter, r *http.Request) {
	s.showPicker(w, r, nil)
}

func (s *Server) showPicker(w http.ResponseWriter, r *http.Request, bookErr error) {
	ctx, q := r.Context(), r.URL.Query()
	d := apptData{Reschedule: q.Get("reschedule"), Days: s.appointments.Days(), Now: time.Now()}
	itemCode := firstNonEmpty(r.FormValue("item"), q.Get("item"))
	if d.Reschedule != "" {
		a, err := s.appointments.Get(ctx, principalOf(ctx), d.Reschedule)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		itemCode = a.ItemCode
	}
	it, err := s.catalog.Item(ctx, itemCode)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Item = it
	if d.Day, err = calendar.ParseDate(firstNonEmpty(r.FormValue("date"), q.Get("date"))); err == nil {
		d.Slots, err = s.appointments.Slots(ctx, it.Code, "", d.Day)
	} else {
		d.Day, d.Slots, err = s.appointments.FirstOpen(ctx, it.Code)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.appointment_new")
	status := http.StatusOK
	if bookErr != nil {
		loc := s.msgs.Error(v.Lang, bookErr)
		v.Error, status = &loc, errStatus[apperr.KindOf(bookErr)]
	}
	v.Data = d
	s.render(w, r, status, "appointment_new", v)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) handleAppointmentBook(w http.ResponseWriter, r *http.Request) {
	in := appointments.BookInput{Item: r.PostFormValue("item"), Date: r.PostFormValue("date"), Starts: r.PostFormValue("time")}
	a, err := s.appointments.Book(r.Context(), principalOf(r.Context()), in)
	if err != nil {
		s.showPicker(w, r, err)
		return
	}
	http.Redirect(w, r, "/appointments/"+a.Code, http.StatusSeeOther)
}

func (s *Server) handleAppointment(w http.ResponseWriter, r *http.Request) {
	a, err := s.appointments.Get(r.Context(), principalOf(r.Context()), r.PathValue("code"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	png, err := qrcode.Encode(a.Code, qrcode.Medium, 256)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.appointment")
	v.Flash = r.URL.Query().Get("flash")
	v.Data = apptData{Appt: a, Now: time.Now(), QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	s.render(w, r, http.StatusOK, "appointment", v)
}

func (s *Server) handleAppointmentCancel(w http.ResponseWriter, r *http.Request) {
	if _, err := s.appointments.Cancel(r.Context(), principalOf(r.Context()), r.PathValue("code")); err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/appointments?flash=appt.cancelled", http.StatusSeeOther)
}

func (s *Server) handleAppointmentReschedule(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	in := appointments.BookInput{Date: r.PostFormValue("date"), Starts: r.PostFormValue("time")}
	if _, err := s.appointments.Reschedule(r.Context(), principalOf(r.Context()), code, in); err != nil {
		r.URL.RawQuery = "reschedule=" + urlQueryEscape(code)
		s.showPicker(w, r, err)
		return
	}
	http.Redirect(w, r, "/appointments/"+code+"?flash=appt.rescheduled", http.StatusSeeOther)
}

// handleKioskCheckIn checks a booking in at the kiosk and prints its
// appointment-priority ticket.
func (s *Server) handleKioskCheckIn(w http.ResponseWriter, r *http.Request) {
	if s.appointments == nil {
		s.showTakeForm(w, r, "kiosk", apperr.New(apperr.NotFound, "err.appt.not_found"))
		return
	}
	_, t, err := s.appointments.CheckIn(r.Context(), principalOf(r.Context()), r.PathValue("hall"), r.PostFormValue("code"))
	if err != nil {
		s.showTakeForm(w, r, "kiosk", err)
		return
	}
	http.Redirect(w, r, "/hall/"+t.HallCode+"/kiosk/"+t.Token, http.StatusSeeOther)
}
