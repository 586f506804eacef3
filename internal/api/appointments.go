package api

import (
	"net/http"

	"onevisit/internal/apperr"
	"onevisit/internal/appointments"
	"onevisit/internal/calendar"
	"onevisit/internal/queue"
)

// Appointments (预约办理): slots, booking, rescheduling, cancelling and the
// kiosk's check-in; and the hall's statistics and staffing advice.

func (a *API) withAppointments(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.appointments == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
			return
		}
		next(w, r)
	}
}

// handleSlots lists an item's slots on ?date= (today when absent). Public.
func (a *API) handleSlots(w http.ResponseWriter, r *http.Request) {
	day := calendar.DateOf(a.now())
	if r.URL.Query().Get("date") != "" {
		var err error
		if day, err = parseDateParam(r, "date"); err != nil {
			a.error(w, r, err)
			return
		}
	}
	slots, err := a.appointments.Slots(r.Context(), r.PathValue("code"), r.URL.Query().Get("hall"), day)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": r.PathValue("code"), "date": day, "slots": slots})
}

func (a *API) handleAppointmentBook(w http.ResponseWriter, r *http.Request) {
	var in appointments.BookInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	ap, err := a.appointments.Book(r.Context(), principalOf(r.Context()), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ap)
}

func (a *API) handleAppointments(w http.ResponseWriter, r *http.Request) {
	as, err := a.appointments.Mine(r.Context(), principalOf(r.Context()))
	if err != nil {
		a.error(w, r, err)
		return
	}
	if as == nil {
		as = []appointments.Appointment{}
	}
	writeJSON(w, http.StatusOK, as)
}

func (a *API) handleAppointment(w http.ResponseWriter, r *http.Request) {
	ap, err := a.appointments.Get(r.Context(), principalOf(r.Context()), r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ap)
}

func (a *API) handleAppointmentCancel(w http.ResponseWriter, r *http.Request) {
	ap, err := a.appointments.Cancel(r.Context(), principalOf(r.Context()), r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ap)
}

func (a *API) handleAppointmentReschedule(w http.ResponseWriter, r *http.Request) {
	var in appointments.BookInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	ap, err := a.appointments.Reschedule(r.Context(), principalOf(r.Context()), r.PathValue("code"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ap)
}

// handleAppointmentCheckIn is the kiosk's check-in: the confirmation code
// is the credential. It answers the booking and its priority ticket.
func (a *API) handleAppointmentCheckIn(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Hall string `json:"hall"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			a.error(w, r, err)
			return
		}
	}
	ap, t, err := a.appointments.CheckIn(r.Context(), principalOf(r.Context()), in.Hall, r.PathValue("code"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"appointment": ap, "ticket": t})
}

// handleHallStats is the hall's waiting and service times, no-shows per
// zone, window and hour from ?from= to ?to= (default today).
func (a *API) handleHallStats(w http.ResponseWriter, r *http.Request) {
	var from, to calendar.Date
	var err error
	for name, d := range map[string]*calendar.Date{"from": &from, "to": &to} {
		if r.URL.Query().Get(name) != "" {
			if *d, err = parseDateParam(r, name); err != nil {
				a.error(w, r, err)
				return
			}
		}
	}
	st, err := a.queue.Stats(r.Context(), principalOf(r.Context()), r.PathValue("hall"), from, to)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// handleHallStaffing is the Erlang C staffing advice: ?weeks= of history
// (4), ?share= (0.8) of visitors called within ?within= minutes (10).
func (a *API) handleHallStaffing(w http.ResponseWriter, r *http.Request) {
	weeks, t := queue.ParseTarget(r.URL.Query().Get)
	st, err := a.queue.Staffing(r.Context(), principalOf(r.Context()), r.PathValue("hall"), weeks, t)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}
