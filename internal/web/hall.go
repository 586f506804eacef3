package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"onevisit/internal/apperr"
	"onevisit/internal/i18n"
	"onevisit/internal/queue"
)

// The hall pages: the kiosk and its printed ticket, the hall and window
// screens (full-screen, kept live by hall.js over server-sent events from
// /api/v1/halls/{hall}/events), taking a number on a phone and following it.
// The clerk's calling desk is in hall_desk.go.

// hallData is what the hall pages get.
type hallData struct {
	Board  queue.Board
	Ticket queue.Ticket
	Window queue.Window
	QR     template.URL // data: URL of the ticket's follow-page QR code
	Halls  []queue.Hall
	Lang   i18n.Lang
}

// WaitingIn is the number of tickets waiting in zone.
func (d hallData) WaitingIn(zone int64) int { return d.Board.Waiting[zone] }

// ZoneName is a zone's name in the page's language.
func (d hallData) ZoneName(z queue.Zone) string {
	if d.Lang == i18n.EN && z.NameEn != "" {
		return z.NameEn
	}
	return z.Name
}

// HallName is the hall's name in the page's language.
func (d hallData) HallName() string {
	if d.Lang == i18n.EN && d.Board.Hall.NameEn != "" {
		return d.Board.Hall.NameEn
	}
	return d.Board.Hall.Name
}

// withQueue answers 404 when the server has no hall service.
func (s *Server) withQueue(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.queue == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// renderScreen renders a full-screen page: its own "screen" template, not
// the site layout.
func (s *Server) renderScreen(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := s.pages.sets[page]
	if !ok {
		s.renderError(w, r, fmt.Errorf("no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "screen", v); err != nil {
		s.renderError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// board loads the board of the {hall} in the path.
func (s *Server) board(r *http.Request) (queue.Board, error) {
	return s.queue.Board(r.Context(), r.PathValue("hall"))
}

func (s *Server) handleHalls(w http.ResponseWriter, r *http.Request) {
	halls, err := s.queue.Halls(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.halls")
	d := hallData{Lang: v.Lang}
	for _, h := range halls {
		full, err := s.queue.Hall(r.Context(), h.Code)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		d.Halls = append(d.Halls, full)
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "hall_index", v)
}

func (s *Server) handleHallScreen(w http.ResponseWriter, r *http.Request) {
	b, err := s.board(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.hall_screen")
	v.Data = hallData{Board: b, Lang: v.Lang}
	s.renderScreen(w, r, http.StatusOK, "hall_screen", v)
}

func (s *Server) handleWindowScreen(w http.ResponseWriter, r *http.Request) {
	b, err := s.board(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	n, _ := strconv.Atoi(r.PathValue("number"))
	v := s.newView(w, r, "title.window_screen")
	d := hallData{Board: b, Lang: v.Lang}
	found := false
	for _, win := range b.Hall.Windows {
		if win.Number == n {
			d.Window, found = win, true
		}
	}
	if !found {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.queue.not_found"))
		return
	}
	v.Data = d
	s.renderScreen(w, r, http.StatusOK, "window_screen", v)
}

func (s *Server) handleKiosk(w http.ResponseWriter, r *http.Request) {
	s.showTakeForm(w, r, "kiosk", nil)
}

func (s *Server) handleTakeForm(w http.ResponseWriter, r *http.Request) {
	s.showTakeForm(w, r, "hall_take", nil)
}

// showTakeForm shows the kiosk or the phone page, with err if taking failed.
func (s *Server) showTakeForm(w http.ResponseWriter, r *http.Request, page string, takeErr error) {
	b, err := s.board(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	title := map[string]string{"kiosk": "title.kiosk", "hall_take": "title.take"}[page]
	v := s.newView(w, r, title)
	v.Data = hallData{Board: b, Lang: v.Lang}
	status := http.StatusOK
	if takeErr != nil {
		loc := s.msgs.Error(v.Lang, takeErr)
		v.Error, status = &loc, errStatus[apperr.KindOf(takeErr)]
		v.Form.Set("idNumber", r.PostFormValue("idNumber"))
	}
	if page == "kiosk" {
		s.renderScreen(w, r, status, page, v)
		return
	}
	s.render(w, r, status, page, v)
}

// handleKioskTake issues a ticket at the kiosk and shows it for printing.
func (s *Server) handleKioskTake(w http.ResponseWriter, r *http.Request) {
	t, err := s.takeTicket(r, queue.Kiosk)
	if err != nil {
		s.showTakeForm(w, r, "kiosk", err)
		return
	}
	http.Redirect(w, r, "/hall/"+t.HallCode+"/kiosk/"+t.Token, http.StatusSeeOther)
}

// handleTake issues a ticket on a phone and follows it.
func (s *Server) handleTake(w http.ResponseWriter, r *http.Request) {
	t, err := s.takeTicket(r, queue.Phone)
	if err != nil {
		s.showTakeForm(w, r, "hall_take", err)
		return
	}
	http.Redirect(w, r, "/tickets/"+t.Token, http.StatusSeeOther)
}

func (s *Server) takeTicket(r *http.Request, ch queue.Channel) (queue.Ticket, error) {
	in := queue.TakeInput{Zone: r.PostFormValue("zone"), IDNumber: strings.TrimSpace(r.PostFormValue("idNumber")), Channel: ch}
	return s.queue.Take(r.Context(), principalOf(r.Context()), r.PathValue("hall"), in)
}

// handleKioskTicket shows a ticket as a 58/80 mm receipt.
func (s *Server) handleKioskTicket(w http.ResponseWriter, r *http.Request) {
	d, v, ok := s.ticketPage(w, r, "title.kiosk")
	if !ok {
		return
	}
	if d.Ticket.HallCode != r.PathValue("hall") {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.queue.ticket_not_found"))
		return
	}
	v.Data = d
	s.renderScreen(w, r, http.StatusOK, "kiosk_ticket", v)
}

// handleTicket is the page a ticket's QR code opens: its place in the queue.
func (s *Server) handleTicket(w http.ResponseWriter, r *http.Request) {
	d, v, ok := s.ticketPage(w, r, "title.ticket")
	if !ok {
		return
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "hall_ticket", v)
}

func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request, title string) (hallData, *view, bool) {
	t, err := s.queue.Ticket(r.Context(), r.PathValue("ticket"))
	if err != nil {
		s.renderError(w, r, err)
		return hallData{}, nil, false
	}
	b, err := s.queue.Board(r.Context(), t.HallCode)
	if err != nil {
		s.renderError(w, r, err)
		return hallData{}, nil, false
	}
	png, err := qrcode.Encode(s.siteURL(r)+"/tickets/"+t.Token, qrcode.Medium, 256)
	if err != nil {
		s.renderError(w, r, err)
		return hallData{}, nil, false
	}
	qr := template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	v := s.newView(w, r, title)
	return hallData{Board: b, Ticket: t, QR: qr, Lang: v.Lang}, v, true
}

// siteURL is the public base URL for links printed on paper.
func (s *Server) siteURL(r *http.Request) string {
	if s.baseURL != "" {
		return strings.TrimRight(s.baseURL, "/")
	}
	scheme := "http"
	if s.secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
