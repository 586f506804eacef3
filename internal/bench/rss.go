package bench

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ServerRSS reads the server's resident memory (bytes) from its /metrics
// (the process collector's process_resident_memory_bytes).
func ServerRSS(ctx context.Context, c *Client) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.Base+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return int64(f), err
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("the server's /metrics has no process_resident_memory_bytes")
}

// RSSPeak samples the server's resident memory every interval until stop
// is called, which returns the highest sample (0 if none could be read).
func RSSPeak(ctx context.Context, c *Client, every time.Duration) (stop func() int64) {
	var peak atomic.Int64
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	sample := func() {
		if v, err := ServerRSS(ctx, c); err == nil && v > peak.Load() {
			peak.Store(v)
		}
	}
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			sample()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		cancel()
		<-done
		return peak.Load()
	}
}
