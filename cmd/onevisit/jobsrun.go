package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"onevisit/internal/assessment"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/demo"
	"onevisit/internal/escalation"
	"onevisit/internal/feedback"
	"onevisit/internal/jobs"
	"onevisit/internal/notify"
	"onevisit/internal/sqlstore"
)

// newSupervision wires ratings, rectification and unfinished-matter reports
// with their default local rules (5 working days to rectify; 1/3/5/10
// working days per escalation level).
func newSupervision(db *sqlstore.DB, cal *calendar.Service, now func() time.Time) (*feedback.Service, *escalation.Service) {
	fb := feedback.NewService(db.Feedback(), db.Cases(), cal, feedback.Config{}, now)
	return fb, escalation.NewService(db.Escalations(), cal, escalation.DefaultDeadlines, now)
}

// newFollowUp wires callbacks (10 % sample) and the monthly assessment of
// departments, which notifies departments when a notice is issued.
func newFollowUp(db *sqlstore.DB, fb *feedback.Service, center string, now func() time.Time) (*feedback.Callbacks, *assessment.Service) {
	cb := feedback.NewCallbacks(fb, db.Feedback(), feedback.DefaultSample)
	as := assessment.NewService(assessment.Deps{Store: db.Assessment(), Reporter: cb, Records: db.Feedback(), Reports: db.Escalations(),
		Cases: db.Cases(), Departments: db.Identity(), Notifier: notify.NewService(db, now)}, center, now)
	return cb, as
}

// timedJob is a scheduled job that can run as of any moment, so
// `onevisit jobs run --at` can replay it; each is idempotent.
type timedJob struct {
	name     string
	interval time.Duration
	run      func(ctx context.Context, at time.Time) (int, error)
}

// timedJobs lists the jobs that depend on the date. The cases jobs read
// the time from cs's clock, so cs must be built with the clock of at.
func timedJobs(cs *cases.Service, fb *feedback.Service, esc *escalation.Service, cb *feedback.Callbacks, as *assessment.Service) []timedJob {
	return []timedJob{
		{"cases.deem_accepted", 10 * time.Minute, func(ctx context.Context, _ time.Time) (int, error) { return cs.DeemAccepted(ctx) }},
		{"cases.refresh_warnings", 10 * time.Minute, func(ctx context.Context, _ time.Time) (int, error) { return cs.RefreshWarnings(ctx) }},
		{"feedback.mark_overdue", 10 * time.Minute, fb.MarkOverdue},
		{"escalation.escalate", 10 * time.Minute, esc.Escalate},
		{"callbacks.create", time.Hour, cb.CreateDue},
		{"assessment.issue", time.Hour, as.IssueDue},
	}
}

// registerSupervisionJobs adds the rectification, escalation, callback
// and assessment jobs to a scheduler, run as of the wall clock (the cases
// jobs are registered by startJobs already).
func registerSupervisionJobs(s *jobs.Scheduler, fb *feedback.Service, esc *escalation.Service, cb *feedback.Callbacks, as *assessment.Service) {
	for _, j := range timedJobs(nil, fb, esc, cb, as)[2:] {
		s.Every(j.name, j.interval, func(ctx context.Context) error {
			_, err := j.run(ctx, time.Now())
			return err
		})
	}
}

// runJobs is `onevisit jobs run [--at TIME]`: every date-dependent job
// once, as of TIME (RFC 3339; now by default), then exit.
func runJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return &exitError{code: 2, err: errors.New("usage: onevisit jobs run [--at 2026-12-10T09:00:00+08:00]")}
	}
	var atText string
	c, _, err := loadConfig("jobs run", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&atText, "at", "", "run the jobs as of this moment (RFC 3339), for demos, tests and catching up")
	})
	if err != nil {
		return err
	}
	at := time.Now()
	if atText != "" {
		if at, err = time.Parse(time.RFC3339, atText); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("--at: %w", err)}
		}
	}
	db, err := openDB(ctx, c, newLogger(c, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	return runJobsAt(ctx, db, c.Center, at, stdout)
}

// runJobsAt runs every timed job once with all clocks fixed at at.
func runJobsAt(ctx context.Context, db *sqlstore.DB, center string, at time.Time, stdout io.Writer) error {
	now := func() time.Time { return at }
	db.SetClock(now)
	cal, err := calendar.NewService(ctx, db, now)
	if err != nil {
		return err
	}
	cs := cases.NewService(db.Cases(), catalog.NewService(db.Catalog(), now), cal, demo.Region, now)
	fb, esc := newSupervision(db, cal, now)
	cb, as := newFollowUp(db, fb, center, now)
	fmt.Fprintf(stdout, "jobs as of %s\n", at.Format(time.RFC3339))
	for _, j := range timedJobs(cs, fb, esc, cb, as) {
		n, err := j.run(ctx, at)
		if err != nil {
			return fmt.Errorf("%s: %w", j.name, err)
		}
		fmt.Fprintf(stdout, "  %-24s %d\n", j.name, n)
	}
	return nil
}
