package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"onevisit/internal/outbox"
)

// HTTPSMS sends SMS through an HTTP gateway: a POST of
// {"phone": "13800000000", "text": "…", "sign": "宁波保税区行政服务中心"} with
// "Authorization: Bearer <token>". Gateways add the signature themselves
// (it is registered with the carrier), so the text goes without its
// leading 【sign】. Any 2xx answer means sent; 4xx answers other than 408
// and 429 are permanent failures, anything else is retried.
type HTTPSMS struct {
	URL    string
	Token  string
	Sign   string
	Client *http.Client // nil means http.DefaultClient
}

var _ outbox.Sender = (*HTTPSMS)(nil)

// Name is "sms".
func (*HTTPSMS) Name() string { return "sms" }

type smsRequest struct {
	Phone string `json:"phone"`
	Text  string `json:"text"`
	Sign  string `json:"sign"`
}

// Send posts m to the gateway.
func (g *HTTPSMS) Send(ctx context.Context, m outbox.Message) error {
	body, err := json.Marshal(smsRequest{Phone: m.Recipient, Text: strings.TrimPrefix(m.Text, "【"+g.Sign+"】"), Sign: g.Sign})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", outbox.ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	client := g.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	err = fmt.Errorf("sms gateway: %s: %s", resp.Status, bytes.TrimSpace(snippet))
	if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusRequestTimeout &&
		resp.StatusCode != http.StatusTooManyRequests {
		return fmt.Errorf("%w: %w", outbox.ErrPermanent, err)
	}
	return err
}
