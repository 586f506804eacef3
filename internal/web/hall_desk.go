package web

import (
	"context"
	"net/http"
	"strconv"

	"onevisit/internal/apperr"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
)

// deskData is the clerk's calling desk: the hall, the window the clerk is
// signed in at (if any) and the ticket it serves.
type deskData struct {
	hallData
	Mine    *queue.Window
	Current queue.Ticket
	Max     int // recalls allowed
}

// MaskedID is the current ticket's ID number with the birth date hidden.
func (d deskData) MaskedID() string {
	if d.Current.IDNumber == "" {
		return ""
	}
	return idcode.IDCard{Number: d.Current.IDNumber}.Mask()
}

// deskAction is one button of the calling desk.
type deskAction func(s *queue.Service, ctx context.Context, p *identity.Principal, id int64, r *http.Request) error

// windowOnly adapts a window method that needs nothing from the form.
func windowOnly[T any](m func(*queue.Service, context.Context, *identity.Principal, int64) (T, error)) deskAction {
	return func(s *queue.Service, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) error {
		_, err := m(s, ctx, p, id)
		return err
	}
}

// deskActions are the buttons of the desk, each a queue.Service call.
var deskActions = map[string]deskAction{
	"signin":  windowOnly((*queue.Service).SignIn),
	"signout": windowOnly((*queue.Service).SignOut),
	"pause":   windowOnly((*queue.Service).Pause),
	"resume":  windowOnly((*queue.Service).Resume),
	"call":    windowOnly((*queue.Service).Call),
	"recall":  windowOnly((*queue.Service).Recall),
	"skip":    windowOnly((*queue.Service).Skip),
	"transfer": func(s *queue.Service, ctx context.Context, p *identity.Principal, id int64, r *http.Request) error {
		n, _ := strconv.Atoi(r.PostFormValue("toWindow"))
		_, err := s.Transfer(ctx, p, id, queue.TransferInput{Zone: r.PostFormValue("toZone"), Window: n})
		return err
	},
	"complete": func(s *queue.Service, ctx context.Context, p *identity.Principal, id int64, r *http.Request) error {
		_, err := s.Complete(ctx, p, id, []string{r.PostFormValue("cases")})
		return err
	},
}

func (s *Server) handleDesk(w http.ResponseWriter, r *http.Request) {
	s.showDesk(w, r, http.StatusOK, nil)
}

func (s *Server) showDesk(w http.ResponseWriter, r *http.Request, status int, actErr error) {
	b, err := s.board(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.desk")
	d := deskData{hallData: hallData{Board: b, Lang: v.Lang}, Max: queue.MaxRecalls}
	p := principalOf(r.Context())
	for i, win := range b.Hall.Windows {
		if win.ClerkID == p.UserID && win.State != queue.Closed {
			d.Mine = &b.Hall.Windows[i]
		}
	}
	if d.Mine != nil && d.Mine.TicketID != 0 {
		if t, err := s.queue.Current(r.Context(), p, d.Mine.ID); err == nil {
			d.Current = t
		}
	}
	if actErr != nil {
		loc := s.msgs.Error(v.Lang, actErr)
		v.Error = &loc
	}
	if r.URL.Query().Get("done") == "call" {
		v.Flash = "flash.hall.called"
	}
	v.Data = d
	s.render(w, r, status, "window_desk", v)
}

// handleDeskAct runs one desk button and goes back to the desk.
func (s *Server) handleDeskAct(w http.ResponseWriter, r *http.Request) {
	act, ok := deskActions[r.PathValue("action")]
	if !ok {
		s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("window"), 10, 64)
	if err := act(s.queue, r.Context(), principalOf(r.Context()), id, r); err != nil {
		s.showDesk(w, r, errStatus[apperr.KindOf(err)], err)
		return
	}
	back := "/hall/" + r.PathValue("hall") + "/desk"
	if r.PathValue("action") == "call" {
		back += "?done=call"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
