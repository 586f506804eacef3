// Package jobs runs onevisit's background work on a schedule: the outbox
// relay and dispatcher, deemed acceptances, SLA warnings. Deadlines and
// work queues live in the database, so a job is only a ticker that asks
// the database what is due; a restart loses nothing.
//
// Every node runs every job. The jobs are written to be safe that way
// (conditional updates; see outbox.Service.Relay), so the scheduler needs
// no leader election.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Func is one run of a job.
type Func func(ctx context.Context) error

type job struct {
	name     string
	interval time.Duration
	fn       Func
}

// Scheduler runs jobs at fixed intervals.
type Scheduler struct {
	log  *slog.Logger
	jobs []job
	runs *prometheus.CounterVec
}

// New returns a Scheduler that logs failed runs to log and, if reg is not
// nil, counts runs in onevisit_job_runs_total{job,result}.
func New(log *slog.Logger, reg prometheus.Registerer) *Scheduler {
	s := &Scheduler{log: log, runs: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "onevisit_job_runs_total", Help: "Background job runs, by job and result (ok or error).",
	}, []string{"job", "result"})}
	if reg != nil {
		reg.MustRegister(s.runs)
	}
	return s
}

// Every adds a job that runs once when Run starts and then every
// interval. Runs of one job never overlap: a run that takes longer than
// the interval delays the next.
func (s *Scheduler) Every(name string, interval time.Duration, fn Func) {
	s.jobs = append(s.jobs, job{name: name, interval: interval, fn: fn})
}

// Run runs every job until ctx ends, then waits for running jobs to stop.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, j := range s.jobs {
		wg.Go(func() { s.loop(ctx, j) })
	}
	wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, j job) {
	t := time.NewTicker(j.interval)
	defer t.Stop()
	for {
		s.runOnce(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runOnce runs a job, logging its error or panic; a job ended by ctx is
// not an error.
func (s *Scheduler) runOnce(ctx context.Context, j job) {
	if ctx.Err() != nil {
		return
	}
	err := safeCall(ctx, j.fn)
	result := "ok"
	if err != nil && ctx.Err() == nil {
		result = "error"
		s.log.Error("job failed", "job", j.name, "err", err)
	}
	s.runs.WithLabelValues(j.name, result).Inc()
}

func safeCall(ctx context.Context, fn Func) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(ctx)
}
