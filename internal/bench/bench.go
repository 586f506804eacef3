// Package bench is onevisit's load generator: it drives a running server
// over HTTP with realistic operations from many concurrent clients for a
// bounded time and reports throughput, latency percentiles and errors per
// scenario, next to the machine's own ceilings measured in the same run.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client is one HTTP client with the server's base URL and bearer tokens.
type Client struct {
	Base   string
	HTTP   *http.Client
	Tokens map[string]string // username → bearer token
}

// NewClient returns a client with a connection pool sized for n workers.
func NewClient(base string, n int) *Client {
	tr := &http.Transport{MaxIdleConns: n * 2, MaxIdleConnsPerHost: n * 2, IdleConnTimeout: time.Minute}
	return &Client{Base: strings.TrimRight(base, "/"), HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		Tokens: map[string]string{}}
}

// Do sends a request as user (no token when ""), expects status want, and
// decodes the JSON answer into out when out is not nil.
func (c *Client) Do(ctx context.Context, user, method, path string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, r)
	if err != nil {
		return err
	}
	if t := c.Tokens[user]; t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Login gets a bearer token for user.
func (c *Client) Login(ctx context.Context, user, password string) error {
	var resp struct{ Token string }
	if err := c.Do(ctx, "", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": password}, 200, &resp); err != nil {
		return fmt.Errorf("login %s: %w", user, err)
	}
	c.Tokens[user] = resp.Token
	return nil
}

// Scenario is one kind of operation.
type Scenario struct {
	Name  string
	Setup func(ctx context.Context, c *Client) error // optional, before the clock starts
	Op    func(ctx context.Context, c *Client, rng *rand.Rand) error
}

// Result is what a run measured.
type Result struct {
	Scenario string        `json:"scenario"`
	Clients  int           `json:"clients"`
	Ops      int           `json:"ops"`
	Errors   int           `json:"errors"`
	Seconds  float64       `json:"seconds"`
	PerSec   float64       `json:"perSecond"`
	P50      time.Duration `json:"p50"`
	P90      time.Duration `json:"p90"`
	P99      time.Duration `json:"p99"`
	Ceiling  string        `json:"ceiling,omitempty"` // which ceiling the ratio is against
	Ratio    float64       `json:"ratio,omitempty"`
	FirstErr string        `json:"firstError,omitempty"`
	// PeakRSS is the server's highest resident memory (bytes) sampled
	// during the run, for the scenarios that watch it.
	PeakRSS int64 `json:"peakServerRssBytes,omitempty"`
}

// Run runs s with n concurrent clients for d.
func Run(ctx context.Context, c *Client, s Scenario, n int, d time.Duration) (Result, error) {
	if s.Setup != nil {
		if err := s.Setup(ctx, c); err != nil {
			return Result{}, fmt.Errorf("%s setup: %w", s.Name, err)
		}
	}
	var (
		mu       sync.Mutex
		lat      []time.Duration
		errs     atomic.Int64
		firstErr atomic.Value
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 99))
			var mine []time.Duration
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				if err := s.Op(ctx, c, rng); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(uint64(w))
	}
	wg.Wait()
	return summarize(s.Name, n, lat, int(errs.Load()), time.Since(start), firstErr.Load()), nil
}

func summarize(name string, n int, lat []time.Duration, errs int, elapsed time.Duration, first any) Result {
	slices.Sort(lat)
	r := Result{Scenario: name, Clients: n, Ops: len(lat), Errors: errs, Seconds: elapsed.Seconds()}
	if len(lat) > 0 {
		r.PerSec = float64(len(lat)) / elapsed.Seconds()
		r.P50, r.P90, r.P99 = lat[len(lat)*50/100], lat[len(lat)*90/100], lat[len(lat)*99/100]
	}
	if s, ok := first.(string); ok {
		r.FirstErr = s
	}
	return r
}

// Table formats results as a plain-text table.
func Table(rs []Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %7s %9s %10s %9s %9s %9s %7s  %s\n", "scenario", "clients", "ops", "ops/s", "p50", "p90", "p99", "errors", "ratio to ceiling")
	for _, r := range rs {
		ratio := ""
		if r.Ceiling != "" {
			ratio = fmt.Sprintf("%.3f of %s", r.Ratio, r.Ceiling)
		}
		if r.PeakRSS > 0 {
			ratio = strings.TrimSpace(fmt.Sprintf("%s server RSS peak %.0f MB", ratio, float64(r.PeakRSS)/(1<<20)))
		}
		fmt.Fprintf(&b, "%-22s %7d %9d %10.0f %9s %9s %9s %7d  %s\n", r.Scenario, r.Clients, r.Ops, r.PerSec,
			ms(r.P50), ms(r.P90), ms(r.P99), r.Errors, ratio)
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
