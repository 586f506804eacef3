package main

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestShutdownEndsOpenEventStreams: SIGTERM (ctx ending) must not wait
// for the dashboards' live stream, which otherwise never ends by itself.
func TestShutdownEndsOpenEventStreams(t *testing.T) {
	base, stop := startServe(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/stats/live", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("live stream: %d %s", resp.StatusCode, ct)
	}
	ended := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
		}
		close(ended)
	}()
	if took := stop(); took > 5*time.Second {
		t.Errorf("shutdown with an open stream took %v", took)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the client's stream did not end")
	}
}
