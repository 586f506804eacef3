package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/config"
	"onevisit/internal/demo"
	"onevisit/internal/jobs"
	"onevisit/internal/outbox"
	"onevisit/internal/outbox/gateway"
	"onevisit/internal/sqlstore"
)

// newOutbox wires the outbox with one sender per channel: the SMTP server
// and the SMS gateway when they are configured, the log otherwise (so a
// demo shows its messages in the admin outbox without any gateway).
func newOutbox(c config.Config, db *sqlstore.DB, log *slog.Logger) *outbox.Service {
	logOnly := gateway.LogOnly{Log: log}
	senders := map[outbox.Channel]outbox.Sender{outbox.SMS: logOnly, outbox.Email: logOnly}
	if c.SMTPAddr != "" {
		senders[outbox.Email] = &gateway.SMTP{Addr: c.SMTPAddr, From: c.SMTPFrom, User: c.SMTPUser, Password: c.SMTPPassword}
	}
	if c.SMSURL != "" {
		senders[outbox.SMS] = &gateway.HTTPSMS{URL: c.SMSURL, Token: c.SMSToken, Sign: c.SMSSign,
			Client: &http.Client{Timeout: 30 * time.Second}}
	}
	return outbox.New(outbox.Config{Store: db.Outbox(), Senders: senders, BaseURL: c.URL(), Sign: c.SMSSign,
		Now: time.Now, Logger: log})
}

// startJobs runs the background jobs until ctx ends or stop is called;
// stop waits for running jobs to finish, so call it before closing the
// database.
func (a *app) startJobs(ctx context.Context, log *slog.Logger) (stop func()) {
	s := jobs.New(log, a.registry)
	s.Every("outbox.relay", 2*time.Second, func(ctx context.Context) error {
		_, err := a.outbox.Relay(ctx)
		return err
	})
	s.Every("outbox.dispatch", 2*time.Second, func(ctx context.Context) error {
		_, err := a.outbox.Dispatch(ctx)
		return err
	})
	// Dashboard roll-ups: every second, so the big screen's "today" follows
	// acceptances within about two seconds; an idle run is two small reads.
	s.Every("stats.rollup", time.Second, func(ctx context.Context) error {
		_, err := a.roller.Run(ctx)
		return err
	})
	s.Every("cases.deem_accepted", 10*time.Minute, func(ctx context.Context) error {
		n, err := a.cases.DeemAccepted(ctx)
		if n > 0 {
			log.Info("cases deemed accepted", "count", n)
		}
		return err
	})
	s.Every("cases.refresh_warnings", 10*time.Minute, func(ctx context.Context) error {
		_, err := a.cases.RefreshWarnings(ctx)
		return err
	})
	registerSupervisionJobs(s, a.feedback, a.escalation, a.callbacks, a.assessment)
	s.Every("licences.expire", time.Hour, func(ctx context.Context) error {
		_, err := a.licences.ExpireDue(ctx)
		return err
	})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	return func() {
		cancel()
		<-done
	}
}

// seedHistory generates h.Cases past cases for `onevisit demo
// --history-cases`, once the roll-ups have caught up with the demo's own
// cases (the generator writes its roll-ups directly and moves the cursor).
// It first registers the synthetic items' departments (D01–D31) where
// missing, so the dashboards name them, also in a database generated
// before they had names (`demo --history-cases 1` names it).
func seedHistory(ctx context.Context, a *app, h demo.History, stderr io.Writer) error {
	if h.Cases <= 0 {
		return nil
	}
	if h.Items == nil {
		n, err := demo.SeedHistoryDepartments(ctx, a.ids)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(stderr, "history: %d departments registered\n", n)
		}
	}
	// The generator requires the roll-ups and the outbox relay to have read
	// every event so far; it moves both past the events it writes.
	if _, err := a.roller.Run(ctx); err != nil {
		return err
	}
	if _, err := a.outbox.Relay(ctx); err != nil {
		return err
	}
	start := time.Now()
	h.Seed = 20181
	next := 100000
	err := demo.GenerateHistory(ctx, a.db.Stats(), a.calendar.Current(), calendar.DateOf(time.Now()), h, func(n int) {
		if n >= next || n == h.Cases {
			el := time.Since(start)
			fmt.Fprintf(stderr, "history: %d cases in %s (%.0f cases/s)\n", n, el.Round(time.Second), float64(n)/el.Seconds())
			next = (n/100000 + 1) * 100000
		}
	})
	// The batches were garbage once written: give their memory back now
	// rather than leave the server's resident size at the generator's peak.
	debug.FreeOSMemory()
	if err != nil {
		return err
	}
	// The planner's statistics describe the tables before the bulk load;
	// without fresh ones PostgreSQL picks scans for the dashboards' queries.
	start = time.Now()
	if err := a.db.Analyze(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "history: statistics refreshed in %s\n", time.Since(start).Round(time.Second))
	return nil
}
