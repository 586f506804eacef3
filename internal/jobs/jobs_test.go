package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"onevisit/internal/jobs"
)

// syncBuffer is a log sink safe for the job goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestSchedulerRunsJobsRepeatedlyAndStopsWithItsContext(t *testing.T) {
	var logs syncBuffer
	reg := prometheus.NewRegistry()
	s := jobs.New(slog.New(slog.NewTextHandler(&logs, nil)), reg)
	var ticks, fails, panics atomic.Int32
	s.Every("tick", 5*time.Millisecond, func(context.Context) error { ticks.Add(1); return nil })
	s.Every("fail", 5*time.Millisecond, func(context.Context) error { fails.Add(1); return errors.New("gateway down") })
	s.Every("panic", time.Hour, func(context.Context) error { panics.Add(1); panic("boom") })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for ticks.Load() < 3 || fails.Load() < 2 || panics.Load() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("jobs did not run: tick %d, fail %d, panic %d", ticks.Load(), fails.Load(), panics.Load())
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
	after := ticks.Load()
	time.Sleep(20 * time.Millisecond)
	if ticks.Load() != after {
		t.Error("a job ran after Run returned")
	}
	out := logs.String()
	if !strings.Contains(out, "job=fail") || !strings.Contains(out, "gateway down") || !strings.Contains(out, "panic: boom") {
		t.Errorf("failed runs not logged:\n%s", out)
	}
	if got := counted(t, reg, "fail", "error"); got < 2 {
		t.Errorf("onevisit_job_runs_total{job=fail,result=error} = %v, want ≥ 2", got)
	}
}

// counted reads onevisit_job_runs_total for one job and result.
func counted(t *testing.T, reg *prometheus.Registry, job, result string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if mf.GetName() == "onevisit_job_runs_total" && labels["job"] == job && labels["result"] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
