package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// SSEOptions describe a delivery measurement: Screens clients hold the
// server-sent-event stream at Path open while Call is made Rate times a
// second for Duration.
type SSEOptions struct {
	Path     string  // the event stream, e.g. /api/v1/halls/main/events
	User     string  // whose token the screens send ("" none)
	Screens  int     // concurrent connections
	Rate     float64 // calls per second
	Duration time.Duration
	Grace    time.Duration // how long to wait for the last events after the last call (default 3 s)
	// Call makes one call and returns the key of the event it causes. Each
	// tick calls it in a goroutine of its own, so that a slow call does not
	// lower the rate: it must be safe for concurrent use.
	Call func(ctx context.Context) (string, error)
	// Key returns the key of an event's data, "" for events not measured.
	Key func(data []byte) string
}

// SSEReport is a delivery measurement: the Result counts one operation per
// event delivered to a screen, its percentiles are the delays from the
// call's HTTP response to the event's arrival at each screen.
type SSEReport struct {
	Result
	Screens   int           `json:"screens"`
	Connected int           `json:"connected"`
	Calls     int           `json:"calls"`
	Complete  int           `json:"completeScreens"` // screens that received every call
	Missed    int           `json:"missed"`          // (screen, call) pairs never delivered
	Max       time.Duration `json:"max"`
	Connect   time.Duration `json:"connect"` // time to open every connection
}

// Summary is one line for the table's foot.
func (r SSEReport) Summary() string {
	return fmt.Sprintf("%s: %d/%d screens connected in %s, %d calls, %d screens received every call, %d deliveries missed; delay p50 %s, p90 %s, p99 %s, max %s",
		r.Scenario, r.Connected, r.Screens, r.Connect.Round(time.Millisecond), r.Calls, r.Complete, r.Missed,
		ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
}

// screen is one connected client and the arrival times of the keyed events.
type screen struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (s *screen) has(keys map[string]time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range keys {
		if _, ok := s.seen[k]; !ok {
			return false
		}
	}
	return true
}

// MeasureSSE opens the screens, makes the calls at a steady rate and
// reports, for every screen and call, the delay from the call's response
// to the event's arrival (0 when it arrived before the response was read).
func MeasureSSE(ctx context.Context, c *Client, o SSEOptions) (SSEReport, error) {
	if o.Screens < 1 || o.Rate <= 0 || o.Call == nil || o.Key == nil {
		return SSEReport{}, errors.New("sse: need screens, a rate, Call and Key")
	}
	if o.Grace == 0 {
		o.Grace = 3 * time.Second
	}
	rep := SSEReport{Screens: o.Screens}
	rep.Scenario = fmt.Sprintf("sse: %d screens", o.Screens)
	rep.Clients = o.Screens
	// One transport for every screen; no client timeout, the streams are long.
	tr := &http.Transport{MaxIdleConns: o.Screens, MaxIdleConnsPerHost: o.Screens, DisableCompression: true,
		ResponseHeaderTimeout: 30 * time.Second, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	sctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()

	screens := make([]*screen, o.Screens)
	var (
		connected atomic.Int64
		firstErr  atomic.Value
		connErrs  atomic.Int64
	)
	fail := func(err error) { firstErr.CompareAndSwap(nil, err.Error()) }
	t0 := time.Now()
	sem := make(chan struct{}, 64) // connections being opened at once
	ready := make(chan struct{}, o.Screens)
	for i := range screens {
		s := &screen{seen: map[string]time.Time{}}
		screens[i] = s
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			var once sync.Once
			signal := func() { once.Do(func() { <-sem; ready <- struct{}{} }) }
			was := false
			err := s.listen(sctx, hc, c, o, func() { was = true; connected.Add(1); signal() })
			if err != nil && sctx.Err() == nil {
				if !was {
					connErrs.Add(1)
				}
				fail(err) // a stream that ended early shows in the missed deliveries
			}
			signal()
		}()
	}
	// Wait for every screen to be connected or to have failed.
	for range o.Screens {
		select {
		case <-ready:
		case <-ctx.Done():
			return rep, ctx.Err()
		}
	}
	rep.Connect, rep.Connected = time.Since(t0), int(connected.Load())

	// The calls, at a steady rate.
	var (
		sentMu   sync.Mutex
		sent     = map[string]time.Time{}
		callErrs int
		calls    sync.WaitGroup
	)
	tick := time.NewTicker(time.Duration(float64(time.Second) / o.Rate))
	start := time.Now()
	for end := start.Add(o.Duration); time.Now().Before(end); {
		select {
		case <-ctx.Done():
			calls.Wait()
			return rep, ctx.Err()
		case <-tick.C:
		}
		calls.Go(func() {
			key, err := o.Call(ctx)
			at := time.Now()
			sentMu.Lock()
			defer sentMu.Unlock()
			if err != nil {
				callErrs++
				fail(err)
				return
			}
			sent[key] = at
		})
	}
	tick.Stop()
	calls.Wait()
	// Wait for the last events, or until every screen has every call.
	for deadline := time.Now().Add(o.Grace); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		all := true
		for _, s := range screens {
			if !s.has(sent) {
				all = false
				break
			}
		}
		if all {
			break
		}
	}
	elapsed := time.Since(start)
	stop()
	wg.Wait()

	var lat []time.Duration
	for _, s := range screens {
		s.mu.Lock()
		got := 0
		for k, at := range sent {
			if a, ok := s.seen[k]; ok {
				lat = append(lat, max(a.Sub(at), 0))
				got++
			}
		}
		s.mu.Unlock()
		if got == len(sent) {
			rep.Complete++
		}
		rep.Missed += len(sent) - got
	}
	rep.Calls = len(sent)
	var first any
	if s, ok := firstErr.Load().(string); ok {
		first = s
	}
	rep.Result = summarize(rep.Scenario, o.Screens, lat, callErrs+int(connErrs.Load())+rep.Missed, elapsed, first)
	if len(lat) > 0 {
		rep.Max = lat[len(lat)-1] // summarize sorted them
	}
	return rep, nil
}

// listen opens the stream and records the arrival of every keyed event
// until ctx ends; connected is called once the response headers are in.
func (s *screen) listen(ctx context.Context, hc *http.Client, c *Client, o SSEOptions, connected func()) error {
	req, err := http.NewRequestWithContext(ctx, "GET", c.Base+o.Path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	if t := c.Tokens[o.User]; t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", o.Path, resp.StatusCode)
	}
	connected()
	r := bufio.NewReaderSize(resp.Body, 4096)
	prefix := []byte("data:")
	for {
		line, err := r.ReadSlice('\n')
		at := time.Now()
		if errors.Is(err, bufio.ErrBufferFull) {
			// a line longer than the buffer: not an event we measure
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			continue
		}
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		if k := o.Key(bytes.TrimSpace(line[len(prefix):])); k != "" {
			s.mu.Lock()
			if _, dup := s.seen[k]; !dup {
				s.seen[k] = at
			}
			s.mu.Unlock()
		}
	}
}

// RaiseFileLimit raises the soft limit on open files towards the hard one
// so that need connections fit, and reports the limit in force.
func RaiseFileLimit(need uint64) (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < need && l.Cur < l.Max {
		l.Cur = min(l.Max, max(need, l.Cur))
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	if l.Cur < need {
		return l.Cur, fmt.Errorf("open files limit %d is below the %d needed (raise the hard limit: ulimit -Hn)", l.Cur, need)
	}
	return l.Cur, nil
}
