package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/identity"
	"onevisit/internal/queue"
)

// withQueue answers 404 when the API has no hall service.
func (a *API) withQueue(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.queue == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.not_found"))
			return
		}
		next(w, r)
	}
}

// handleHall is the hall's board: zones, windows and their current tickets,
// waiting counts and recent calls. It is public, like the screen in the hall.
func (a *API) handleHall(w http.ResponseWriter, r *http.Request) {
	b, err := a.queue.Board(r.Context(), r.PathValue("hall"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

// handleTicketTake issues a ticket: anyone may take an ordinary one; staff
// who may call grant priorities.
func (a *API) handleTicketTake(w http.ResponseWriter, r *http.Request) {
	var in queue.TakeInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	in.Channel = queue.API
	t, err := a.queue.Take(r.Context(), principalOf(r.Context()), r.PathValue("hall"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// handleTicket is a ticket's state and the people ahead of it, by its
// unguessable public id.
func (a *API) handleTicket(w http.ResponseWriter, r *http.Request) {
	t, err := a.queue.Ticket(r.Context(), r.PathValue("id"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// windowActions are the window endpoints, each a queue.Service call that
// answers the window or the ticket it acted on.
var windowActions = map[string]func(a *API, ctx context.Context, p *identity.Principal, id int64, r *http.Request) (any, error){
	"signin": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.SignIn(ctx, p, id)
	},
	"signout": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.SignOut(ctx, p, id)
	},
	"pause": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.Pause(ctx, p, id)
	},
	"resume": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.Resume(ctx, p, id)
	},
	"call": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.Call(ctx, p, id)
	},
	"recall": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.Recall(ctx, p, id)
	},
	"skip": func(a *API, ctx context.Context, p *identity.Principal, id int64, _ *http.Request) (any, error) {
		return a.queue.Skip(ctx, p, id)
	},
	"transfer": func(a *API, ctx context.Context, p *identity.Principal, id int64, r *http.Request) (any, error) {
		var in queue.TransferInput
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return a.queue.Transfer(ctx, p, id, in)
	},
	"complete": func(a *API, ctx context.Context, p *identity.Principal, id int64, r *http.Request) (any, error) {
		var in struct {
			Cases []string `json:"cases"`
		}
		if r.ContentLength != 0 {
			if err := decode(r, &in); err != nil {
				return nil, err
			}
		}
		return a.queue.Complete(ctx, p, id, in.Cases)
	},
}

// windowAction returns the handler of POST /windows/{id}/{name}.
func (a *API) windowAction(name string) http.HandlerFunc {
	act := windowActions[name]
	return a.withQueue(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			a.error(w, r, bad("err.not_found"))
			return
		}
		out, err := act(a, r.Context(), principalOf(r.Context()), id, r)
		if err != nil {
			a.error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// handleHallEvents streams the hall's live events as server-sent events.
// Each carries its seq as the event id, so a client that reconnects with
// Last-Event-ID first gets what it missed from the database.
func (a *API) handleHallEvents(w http.ResponseWriter, r *http.Request) {
	h, err := a.queue.Hall(r.Context(), r.PathValue("hall"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	sub := a.queue.Hub().Subscribe(h.ID)
	defer sub.Close()
	last, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	var backlog []queue.Event
	if last > 0 {
		if backlog, err = a.queue.Events(r.Context(), h.ID, last); err != nil {
			a.error(w, r, err)
			return
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // no proxy buffering
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprint(w, "retry: 2000\n\n")
	for _, ev := range backlog {
		last = writeEvent(w, ev)
	}
	_ = rc.Flush()
	a.streamEvents(r.Context(), w, rc, sub, last)
}

// streamEvents writes the subscription's events until the client leaves or
// the hub closes, with a comment every 20 s to keep proxies from timing out.
func (a *API) streamEvents(ctx context.Context, w http.ResponseWriter, rc *http.ResponseController, sub *queue.Subscription, last int64) {
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case ev, ok := <-sub.C:
			if !ok {
				return
			}
			if ev.Seq <= last {
				continue // already sent from the backlog
			}
			last = writeEvent(w, ev)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func writeEvent(w http.ResponseWriter, ev queue.Event) int64 {
	b, _ := json.Marshal(ev)
	fmt.Fprintf(w, "id: %d\ndata: %s\n\n", ev.Seq, b)
	return ev.Seq
}
