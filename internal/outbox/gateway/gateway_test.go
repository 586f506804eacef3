package gateway_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"onevisit/internal/outbox"
	"onevisit/internal/outbox/gateway"
)

// received is what the test SMTP server got in one session.
type received struct {
	auth, from, to string
	data           []byte
}

// smtpServer is a minimal SMTP server on 127.0.0.1:0 for one session:
// EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. rcptCode is its answer to RCPT.
func smtpServer(t *testing.T, rcptCode int) (addr string, got chan received) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan received, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		got <- serveSMTP(textproto.NewConn(conn), rcptCode)
	}()
	return ln.Addr().String(), got
}

func serveSMTP(c *textproto.Conn, rcptCode int) received {
	var r received
	_ = c.PrintfLine("220 test.local ESMTP")
	for {
		line, err := c.ReadLine()
		if err != nil {
			return r
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			_ = c.PrintfLine("250-test.local\r\n250-8BITMIME\r\n250 AUTH PLAIN")
		case "AUTH":
			r.auth = arg
			_ = c.PrintfLine("235 2.7.0 Authentication successful")
		case "MAIL":
			r.from = arg
			_ = c.PrintfLine("250 2.1.0 OK")
		case "RCPT":
			r.to = arg
			_ = c.PrintfLine("%d recipient answer", rcptCode)
		case "DATA":
			_ = c.PrintfLine("354 go ahead")
			r.data, _ = c.ReadDotBytes()
			_ = c.PrintfLine("250 2.0.0 queued")
		case "QUIT":
			_ = c.PrintfLine("221 bye")
			return r
		default:
			_ = c.PrintfLine("502 unknown")
		}
	}
}

var accepted = outbox.Message{ID: 7, EventID: 42, Channel: outbox.Email, Recipient: "zhangsan@example.com", CaseNo: "330206-20260928-000001",
	Subject: "【宁波保税区行政服务中心】办件受理通知（330206-20260928-000001）",
	Text:    "【宁波保税区行政服务中心】您的办件330206-20260928-000001已受理，承诺于2026年10月10日前办结。查询：https://ov.example.gov.cn/progress?no=330206-20260928-000001"}

func TestSMTPSendsAChineseSubjectAndBodyAsMIME(t *testing.T) {
	addr, got := smtpServer(t, 250)
	s := &gateway.SMTP{Addr: addr, From: "宁波保税区行政服务中心 <noreply@example.gov.cn>", User: "ov", Password: "s3cret"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Send(ctx, accepted); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if !strings.HasPrefix(r.from, "FROM:<noreply@example.gov.cn>") || !strings.HasPrefix(r.to, "TO:<zhangsan@example.com>") {
		t.Errorf("envelope: %q → %q", r.from, r.to)
	}
	if plain, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.auth, "PLAIN ")); string(plain) != "\x00ov\x00s3cret" {
		t.Errorf("AUTH %q", r.auth)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(r.data)))
	if err != nil {
		t.Fatal(err)
	}
	rawSubject := msg.Header.Get("Subject")
	subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	if err != nil || subject != accepted.Subject || !strings.HasPrefix(rawSubject, "=?UTF-8?b?") {
		t.Errorf("subject %q (raw %q, %v)", subject, rawSubject, err)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" || msg.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("content type %q", ct)
	}
	body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if string(body) != accepted.Text {
		t.Errorf("body %q", body)
	}
	from, _ := msg.Header.AddressList("From")
	if len(from) != 1 || from[0].Name != "宁波保税区行政服务中心" || msg.Header.Get("Message-ID") != "<outbox-7-42@onevisit>" {
		t.Errorf("From %v, Message-ID %q", from, msg.Header.Get("Message-ID"))
	}
}

func TestSMTPRefusalsArePermanentAndTemporaryFailuresAreNot(t *testing.T) {
	for _, tc := range []struct {
		code      int
		permanent bool
	}{{550, true}, {451, false}} {
		addr, _ := smtpServer(t, tc.code)
		err := (&gateway.SMTP{Addr: addr, From: "noreply@example.gov.cn"}).Send(context.Background(), accepted)
		if err == nil || errors.Is(err, outbox.ErrPermanent) != tc.permanent {
			t.Errorf("RCPT answered %d: %v, permanent = %v", tc.code, err, errors.Is(err, outbox.ErrPermanent))
		}
	}
}

func TestHTTPSMSPostsJSONWithABearerToken(t *testing.T) {
	var got map[string]string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer tok-1" || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s with %q, %q", r.Method, r.Header.Get("Authorization"), r.Header.Get("Content-Type"))
		}
		_ = json.NewDecoder(bufio.NewReader(r.Body)).Decode(&got)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"code":"x"}`)
	}))
	defer srv.Close()
	g := &gateway.HTTPSMS{URL: srv.URL, Token: "tok-1", Sign: "宁波保税区行政服务中心"}
	sms := accepted
	sms.Channel, sms.Recipient = outbox.SMS, "13800000000"
	if err := g.Send(context.Background(), sms); err != nil {
		t.Fatal(err)
	}
	wantText := strings.TrimPrefix(sms.Text, "【宁波保税区行政服务中心】")
	if got["phone"] != "13800000000" || got["sign"] != "宁波保税区行政服务中心" || got["text"] != wantText {
		t.Errorf("posted %v", got)
	}
	for code, permanent := range map[int]bool{http.StatusBadRequest: true, http.StatusTooManyRequests: false, http.StatusBadGateway: false} {
		status = code
		err := g.Send(context.Background(), sms)
		if err == nil || errors.Is(err, outbox.ErrPermanent) != permanent || !strings.Contains(err.Error(), `{"code":"x"}`) {
			t.Errorf("gateway answered %d: %v", code, err)
		}
	}
}
