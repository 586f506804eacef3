package delivery

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/identity"
)

// WebhookSkew is how far the webhook's timestamp may be from now.
const WebhookSkew = 5 * time.Minute

// ShipmentInput is a status update: from the courier's webhook, or typed
// in by staff (who also enter the waybill number when the courier takes
// the item).
type ShipmentInput struct {
	Tracking string `json:"trackingNo"`
	Status   Status `json:"status"`
	Note     string `json:"note,omitempty"`
}

// Ship records a shipment update entered by staff for case no.
func (s *Service) Ship(ctx context.Context, p *identity.Principal, no string, in ShipmentInput) (Delivery, error) {
	if err := requireStaff(p); err != nil {
		return Delivery{}, err
	}
	if _, err := s.cases.Case(ctx, p, no); err != nil {
		return Delivery{}, err
	}
	d, err := s.store.Delivery(ctx, no)
	if err != nil {
		return Delivery{}, err
	}
	return s.apply(ctx, p, d, in, p.Actor().Name)
}

// Webhook takes a status update posted by the courier's system. body must
// be signed: header X-Signature "sha256=<hex HMAC-SHA256 of the raw body
// under the shared secret>", and X-Timestamp (Unix seconds) within
// WebhookSkew of now. Anything else is Unauthenticated and changes nothing.
func (s *Service) Webhook(ctx context.Context, body []byte, signature, timestamp string) (Delivery, error) {
	if err := s.checkSignature(body, signature, timestamp); err != nil {
		return Delivery{}, err
	}
	var in ShipmentInput
	if err := json.Unmarshal(body, &in); err != nil || strings.TrimSpace(in.Tracking) == "" {
		return Delivery{}, apperr.Field("trackingNo", "err.required")
	}
	d, err := s.store.DeliveryByTracking(ctx, strings.TrimSpace(in.Tracking))
	if err != nil {
		return Delivery{}, err
	}
	return s.apply(ctx, system, d, in, "ems")
}

// Sign is the X-Signature value for body under secret, for the courier's
// side and tests.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (s *Service) checkSignature(body []byte, signature, timestamp string) error {
	refused := apperr.New(apperr.Unauthenticated, "err.delivery.signature")
	if len(s.secret) == 0 {
		return refused
	}
	got, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(signature), "sha256="))
	if err != nil || !strings.HasPrefix(signature, "sha256=") {
		return refused
	}
	m := hmac.New(sha256.New, s.secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return refused
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil {
		return refused
	}
	if d := s.now().Sub(time.Unix(sec, 0)); d > WebhookSkew || d < -WebhookSkew {
		return refused
	}
	return nil
}

// apply moves the shipment forward by in; an update that does not move it
// forward (a replay, a late message) changes nothing. A delivered
// shipment delivers the case — again if an earlier attempt failed midway.
func (s *Service) apply(ctx context.Context, p *identity.Principal, d Delivery, in ShipmentInput, source string) (Delivery, error) {
	if d.Method != EMS {
		return Delivery{}, apperr.New(apperr.Conflict, "err.delivery.not_ems")
	}
	if _, ok := rank[in.Status]; !ok || in.Status == Pending {
		return Delivery{}, apperr.Field("status", "err.delivery.status")
	}
	tracking := strings.TrimSpace(in.Tracking)
	if d.Tracking == "" && tracking == "" {
		return Delivery{}, apperr.Field("trackingNo", "err.required")
	}
	if rank[in.Status] > rank[d.Status] {
		u := Update{Status: in.Status, Note: strings.TrimSpace(in.Note), Source: source, At: s.now().UTC()}
		if d.Tracking != "" {
			tracking = ""
		}
		a := audit.New(p.Actor(), "delivery.ems."+string(in.Status), "case", d.CaseNo).With(d.Tracking + tracking)
		if err := s.store.UpdateShipment(ctx, d.CaseNo, d.Status, tracking, u, a); err != nil {
			return Delivery{}, err
		}
	}
	if in.Status == Delivered {
		if err := s.deliver(ctx, p, d.CaseNo, "EMS "+d.Tracking+tracking); err != nil {
			return Delivery{}, err
		}
	}
	return s.store.Delivery(ctx, d.CaseNo)
}
