// Package gateway holds the outbox senders: an SMTP client for email, an
// HTTP client for an SMS gateway, and a sender that only writes to the log
// (the default when neither is configured, so the outbox works in a demo).
package gateway

import (
	"context"
	"log/slog"

	"onevisit/internal/outbox"
)

// LogOnly "sends" a message by writing it to the log at debug level; the
// message is marked sent via "log" and stays readable in the admin outbox.
type LogOnly struct{ Log *slog.Logger }

var _ outbox.Sender = LogOnly{}

// Name is "log".
func (LogOnly) Name() string { return "log" }

// Send logs m with its recipient masked.
func (l LogOnly) Send(ctx context.Context, m outbox.Message) error {
	if l.Log != nil {
		l.Log.DebugContext(ctx, "outbox message (log only)", "channel", m.Channel, "to", m.MaskedRecipient(),
			"case", m.CaseNo, "text", m.Text)
	}
	return nil
}
