package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"onevisit/internal/i18n"
	"onevisit/internal/outbox"
	"onevisit/internal/web"
)

// refusingGateway refuses every number, permanently.
type refusingGateway struct{}

func (refusingGateway) Name() string { return "sms" }
func (refusingGateway) Send(context.Context, outbox.Message) error {
	return fmt.Errorf("%w: 400 invalid phone", outbox.ErrPermanent)
}

// newOutboxSite serves a site whose outbox holds a sent email and a failed SMS.
func newOutboxSite(t *testing.T) (string, *outbox.Service) {
	t.Helper()
	base := newDemoBase(t, false)
	ctx, db, ids := base.ctx, base.db, base.ids
	now := time.Now().UTC().Truncate(time.Microsecond)
	msg := func(ev int64, ch outbox.Channel, to string) outbox.Message {
		return outbox.Message{Channel: ch, Recipient: to, CaseNo: "330206-20260928-000001", EventID: ev, Template: "case.accepted",
			Text: "【宁波保税区行政服务中心】您的办件330206-20260928-000001已受理", Status: outbox.Pending, CreatedAt: now, NextAttemptAt: now}
	}
	if _, err := db.Outbox().CommitRelay(ctx, outbox.CaseEventsCursor, 0, 0, []outbox.Message{
		msg(1, outbox.SMS, "13912345678"), msg(1, outbox.Email, "zhangsan@example.com")}); err != nil {
		t.Fatal(err)
	}
	ob := outbox.New(outbox.Config{Store: db.Outbox(), Senders: map[outbox.Channel]outbox.Sender{outbox.SMS: refusingGateway{},
		outbox.Email: logOnly{}}})
	if _, err := ob.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Identity: ids,
		Messages: i18n.MustLoad(), DB: db, Version: "test", Outbox: ob})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv.URL, ob
}

type logOnly struct{}

func (logOnly) Name() string                               { return "log" }
func (logOnly) Send(context.Context, outbox.Message) error { return nil }

func TestTheOutboxPageShowsMessagesMaskedAndRetriesFailedOnes(t *testing.T) {
	base, _ := newOutboxSite(t)
	clerk := newBrowser(t, base)
	clerk.login("clerk")
	if code, _ := clerk.get("/admin/outbox"); code != 403 {
		t.Errorf("clerk /admin/outbox: %d, want 403", code)
	}
	admin := newBrowser(t, base)
	admin.login("admin")
	if _, body := admin.get("/admin"); !strings.Contains(body, `href="/admin/outbox"`) {
		t.Error("the admin page does not link to the outbox")
	}
	code, body := admin.get("/admin/outbox")
	if code != 200 || !strings.Contains(body, "139****5678") || !strings.Contains(body, "z***@example.com") ||
		!strings.Contains(body, "您的办件330206-20260928-000001已受理") {
		t.Fatalf("outbox page %d:\n%s", code, body)
	}
	if strings.Contains(body, "13912345678") || strings.Contains(body, "zhangsan@example.com") {
		t.Error("the outbox page shows a full phone number or address")
	}
	if !strings.Contains(body, "发送失败") || !strings.Contains(body, "400 invalid phone") || !strings.Contains(body, "经log") {
		t.Error("the outbox page lacks the failure, its error or the sender")
	}
	_, failed := admin.get("/admin/outbox?status=failed")
	if strings.Count(failed, `data-testid="message-`) != 1 || strings.Contains(failed, "z***@example.com") {
		t.Errorf("the failed filter shows other messages")
	}
	if code, _ := admin.get("/admin/outbox?status=bogus"); code != 422 {
		t.Errorf("unknown status filter: %d, want 422", code)
	}
	code, body = admin.post("/admin/outbox?status=failed", "/admin/outbox/1/retry", url.Values{})
	if code != 200 || !strings.Contains(body, "已重新排队发送") || !strings.Contains(body, "待发送") {
		t.Fatalf("retry: %d\n%s", code, body)
	}
	if code, _ := admin.post("/admin/outbox", "/admin/outbox/1/retry", url.Values{}); code != 409 {
		t.Errorf("retrying a pending message: %d, want 409", code)
	}
}
