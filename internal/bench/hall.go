package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// device is the Client.Tokens key of the calling device's API token.
const device = "bench-device"

// Hall drives a service hall (the demo's "main") as the hall's devices do:
// an API token with the hall.call permission, like a calling device's, takes
// tickets for visitors (kiosks are not rate-limited) and operates the
// windows. The demo admin creates the token in Prepare; it expires after an
// hour.
//
// The windows it uses are those whose calls cannot take each other's
// tickets: windows grouped by the zones they serve, a group kept only when
// it shares no zone with a larger kept group. In the demo these are the six
// comprehensive windows 1–6 (zones A–C), issuing (D, 11) and enquiries (E,
// 12). Every operation takes its ticket in a zone of the window it then
// calls at, so every call finds someone waiting; a special window for A
// alone would find A emptied by the comprehensive windows now and then,
// which is the hall working as designed but would count as an error here.
// Each window makes one call at a time, as its clerk would.
type Hall struct {
	Code     string
	password string

	mu      sync.Mutex
	ready   bool
	windows []*hallWindow
	next    atomic.Uint64
}

type hallWindow struct {
	id     int64
	number int
	zones  []string   // prefixes of the zones it serves
	mu     sync.Mutex // one call at a time, as one clerk
}

// NewHall returns the hall code to drive, with the demo admin's password.
func NewHall(code, adminPassword string) *Hall {
	return &Hall{Code: code, password: adminPassword}
}

// hallSetUp is the part of GET /api/v1/halls/{hall} the bench needs.
type hallSetUp struct {
	Zones []struct {
		ID     int64
		Prefix string
	}
	Windows []struct {
		ID     int64
		Number int
		Zones  []int64
	}
}

// Prepare creates the calling device's token and signs it in at the windows
// the bench uses; later calls do nothing.
func (h *Hall) Prepare(ctx context.Context, c *Client) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ready {
		return nil
	}
	if err := c.Login(ctx, "admin", h.password); err != nil {
		return err
	}
	var deps struct {
		Departments []struct {
			ID   int64
			Code string
		}
	}
	if err := c.Do(ctx, "admin", "GET", "/api/v1/departments", nil, http.StatusOK, &deps); err != nil {
		return err
	}
	if len(deps.Departments) == 0 {
		return fmt.Errorf("no departments: run against a demo")
	}
	dep := deps.Departments[0].ID
	for _, d := range deps.Departments {
		if d.Code == "CENTER" {
			dep = d.ID
		}
	}
	var tok struct{ Token string }
	req := map[string]any{"name": "onevisit bench calling device " + time.Now().Format("15:04:05"), "departmentId": dep,
		"permissions": []string{"hall.call"}, "expiresAt": time.Now().Add(time.Hour)}
	if err := c.Do(ctx, "admin", "POST", "/api/v1/tokens", req, http.StatusCreated, &tok); err != nil {
		return err
	}
	c.Tokens[device] = tok.Token
	var board struct{ Hall hallSetUp }
	if err := c.Do(ctx, device, "GET", "/api/v1/halls/"+url.PathEscape(h.Code), nil, http.StatusOK, &board); err != nil {
		return err
	}
	h.windows = disjointWindows(board.Hall)
	if len(h.windows) == 0 {
		return fmt.Errorf("hall %s has no windows", h.Code)
	}
	for _, w := range h.windows {
		if err := c.Do(ctx, device, "POST", windowPath(w.id, "signin"), nil, http.StatusOK, nil); err != nil {
			return err
		}
	}
	h.ready = true
	return nil
}

// disjointWindows groups the windows by the zones they serve and keeps the
// groups, largest first, that share no zone with a group already kept.
func disjointWindows(s hallSetUp) []*hallWindow {
	prefix := map[int64]string{}
	for _, z := range s.Zones {
		prefix[z.ID] = z.Prefix
	}
	groups := map[string][]*hallWindow{}
	var keys []string
	for _, w := range s.Windows {
		hw := &hallWindow{id: w.ID, number: w.Number}
		for _, z := range w.Zones {
			if p, ok := prefix[z]; ok {
				hw.zones = append(hw.zones, p)
			}
		}
		if len(hw.zones) == 0 {
			continue
		}
		slices.Sort(hw.zones)
		k := strings.Join(hw.zones, "")
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], hw)
	}
	slices.SortStableFunc(keys, func(a, b string) int { return len(groups[b]) - len(groups[a]) })
	taken := map[string]bool{}
	var out []*hallWindow
	for _, k := range keys {
		g := groups[k]
		if slices.ContainsFunc(g[0].zones, func(z string) bool { return taken[z] }) {
			continue
		}
		for _, z := range g[0].zones {
			taken[z] = true
		}
		out = append(out, g...)
	}
	slices.SortFunc(out, func(a, b *hallWindow) int { return a.number - b.number })
	return out
}

func windowPath(id int64, action string) string {
	return "/api/v1/windows/" + strconv.FormatInt(id, 10) + "/" + action
}

// take takes an ordinary ticket in zone as the device (a kiosk).
func (h *Hall) take(ctx context.Context, c *Client, zone string) error {
	return c.Do(ctx, device, "POST", "/api/v1/halls/"+url.PathEscape(h.Code)+"/tickets",
		map[string]string{"zone": zone}, http.StatusCreated, nil)
}

// TicketsScenario is one visitor's pass through the hall: a ticket taken at
// the kiosk in a zone, then called and completed at the next window (in
// turn) that serves the zone — three write requests.
func (h *Hall) TicketsScenario() Scenario {
	return Scenario{Name: "hall: take+call+done", Setup: h.Prepare,
		Op: func(ctx context.Context, c *Client, rng *rand.Rand) error {
			w := h.windows[h.next.Add(1)%uint64(len(h.windows))]
			if err := h.take(ctx, c, w.zones[rng.IntN(len(w.zones))]); err != nil {
				return err
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if err := c.Do(ctx, device, "POST", windowPath(w.id, "call"), nil, http.StatusOK, nil); err != nil {
				return err
			}
			return c.Do(ctx, device, "POST", windowPath(w.id, "complete"), nil, http.StatusOK, nil)
		}}
}

// SSE returns the options that measure delivery of calls to screens of
// the hall: each call takes a ticket and calls at the next window in turn,
// as TicketsScenario does, and its key is the ticket number and window, as
// the screen's call event carries them.
func (h *Hall) SSE(ctx context.Context, c *Client, screens int, rate float64, d time.Duration) (SSEOptions, error) {
	if err := h.Prepare(ctx, c); err != nil {
		return SSEOptions{}, err
	}
	return SSEOptions{Path: "/api/v1/halls/" + url.PathEscape(h.Code) + "/events", User: device,
		Screens: screens, Rate: rate, Duration: d,
		Call: func(ctx context.Context) (string, error) {
			w := h.windows[h.next.Add(1)%uint64(len(h.windows))]
			if err := h.take(ctx, c, w.zones[0]); err != nil {
				return "", err
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			var t struct{ No string }
			if err := c.Do(ctx, device, "POST", windowPath(w.id, "call"), nil, http.StatusOK, &t); err != nil {
				return "", err
			}
			return callKey(t.No, w.number), nil
		},
		Key: hallCallKey}, nil
}

func callKey(ticket string, window int) string { return ticket + "@" + strconv.Itoa(window) }

// hallCallKey is the key of a hall event's data if it is a call.
func hallCallKey(data []byte) string {
	var ev struct {
		Kind   string
		Ticket string
		Window int
	}
	if json.Unmarshal(data, &ev) != nil || ev.Kind != "call" {
		return ""
	}
	return callKey(ev.Ticket, ev.Window)
}
