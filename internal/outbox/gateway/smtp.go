package gateway

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"time"

	"onevisit/internal/outbox"
)

// SMTP sends email through an SMTP server (net/smtp): STARTTLS when the
// server offers it, PLAIN authentication when a user is set (net/smtp
// sends credentials only over TLS or to localhost). Messages are UTF-8
// plain text, base64-encoded, with an RFC 2047 encoded subject.
type SMTP struct {
	Addr     string // host:port
	From     string // "宁波保税区行政服务中心 <noreply@example.gov.cn>" or a bare address
	User     string // empty: no authentication
	Password string
	Hello    string           // name given in EHLO; "" means localhost
	TLS      *tls.Config      // for STARTTLS; nil verifies the server as Addr's host
	Now      func() time.Time // for the Date header; nil means time.Now
}

var _ outbox.Sender = (*SMTP)(nil)

// Name is "smtp".
func (*SMTP) Name() string { return "smtp" }

// Send delivers m in one SMTP session. 5xx replies are permanent failures.
func (s *SMTP) Send(ctx context.Context, m outbox.Message) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("%w: smtp from %q: %v", outbox.ErrPermanent, s.From, err)
	}
	msg, err := s.compose(from, m)
	if err != nil {
		return err
	}
	err = s.session(ctx, from.Address, m.Recipient, msg)
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return fmt.Errorf("%w: smtp: %v", outbox.ErrPermanent, err)
	}
	return err
}

// session dials the server and runs EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA
// and QUIT, within ctx's deadline.
func (s *SMTP) session(ctx context.Context, from, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("%w: smtp addr %q: %v", outbox.ErrPermanent, s.Addr, err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if err := s.start(c, host); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// start greets the server, upgrades to TLS if offered and authenticates.
func (s *SMTP) start(c *smtp.Client, host string) error {
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.User == "" {
		return nil
	}
	return c.Auth(smtp.PlainAuth("", s.User, s.Password, host))
}

// compose writes the message: headers, then the UTF-8 body in base64.
func (s *SMTP) compose(from *mail.Address, m outbox.Message) ([]byte, error) {
	to, err := mail.ParseAddress(m.Recipient)
	if err != nil {
		return nil, fmt.Errorf("%w: recipient: %v", outbox.ErrPermanent, err)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from.String())
	hdr("To", to.String())
	hdr("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	hdr("Date", now().Format(time.RFC1123Z))
	// The id is the outbox row's, so a message resent after a lost
	// acknowledgement carries the same Message-ID.
	hdr("Message-ID", fmt.Sprintf("<outbox-%d-%d@onevisit>", m.ID, m.EventID))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=UTF-8")
	hdr("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes(), nil
}
