package sqlstore_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/delivery"
	"onevisit/internal/identity"
	"onevisit/internal/outbox"
	"onevisit/internal/sqlstore"
	"onevisit/internal/sqlstore/sqlstoretest"
)

// deliveryCases holds one issued case and records the actions taken on it.
type deliveryCases struct {
	c    cases.Case
	acts []cases.Action
}

func (f *deliveryCases) Case(_ context.Context, _ *identity.Principal, no string) (cases.Case, error) {
	if no != f.c.No {
		return cases.Case{}, apperr.New(apperr.NotFound, "err.case_not_found")
	}
	return f.c, nil
}

func (f *deliveryCases) Act(_ context.Context, p *identity.Principal, _ string, in cases.ActInput) (cases.Case, error) {
	if !p.Can(identity.PermLicencesIssue) {
		return cases.Case{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	f.acts = append(f.acts, in.Action)
	f.c.Status = cases.Delivered
	return f.c, nil
}

// codeTexts keeps the pickup code the service sent, as the phone would.
type codeTexts struct{ code string }

func (t *codeTexts) PickupMessages(c cases.Case, code, place string) []outbox.Message {
	t.code = code
	now := time.Now().UTC()
	return []outbox.Message{{Channel: outbox.SMS, Recipient: c.Applicant.Phone, CaseNo: c.No, Template: "delivery.pickup_code",
		Text: "取件码" + code, Status: outbox.Pending, CreatedAt: now, NextAttemptAt: now}}
}

const (
	applicantID = "11010519491231002X"
	otherID     = "110105194912310037"
	hookSecret  = "test-secret"
)

var deskClerk = &identity.Principal{UserID: 3, Username: "clerk", Name: "王窗口", Kind: identity.Staff,
	Roles: []identity.Role{identity.Issuer}}

type deliveryFixture struct {
	svc   *delivery.Service
	cases *deliveryCases
	texts *codeTexts
	db    *sqlstore.DB
}

func newDeliveryFixture(db *sqlstore.DB) deliveryFixture {
	fc := &deliveryCases{c: cases.Case{No: "330206-20261127-000009", ItemCode: "X", Status: cases.Issued,
		Applicant: cases.Applicant{Kind: identity.Person, Name: "李四", IDNumber: applicantID, Phone: "13800000000", UserID: 9}}}
	tx := &codeTexts{}
	svc := delivery.NewService(delivery.Config{Store: db.Deliveries(), Cases: fc, Texts: tx, Secret: hookSecret})
	return deliveryFixture{svc: svc, cases: fc, texts: tx, db: db}
}

var deliveryApplicant = &identity.Principal{UserID: 9, Username: "lisi", Kind: identity.Person, Roles: []identity.Role{identity.Applicant}}

func TestEMSWebhookNeedsTheSignatureAndDeliversTheCase(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, f := context.Background(), newDeliveryFixture(db)
		addr := delivery.Address{Recipient: "李四", Phone: "13800000000", Province: "浙江省", City: "宁波市", District: "北仑区", Street: "保税区港东大道1号"}
		if _, err := f.svc.Choose(ctx, deliveryApplicant, f.cases.c.No, delivery.Choice{Method: delivery.EMS, Address: addr}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Ship(ctx, deskClerk, f.cases.c.No, delivery.ShipmentInput{Tracking: "EA123456789CN", Status: delivery.Accepted}); err != nil {
			t.Fatal(err)
		}
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		body := []byte(`{"trackingNo":"EA123456789CN","status":"delivered","note":"本人签收"}`)
		for name, sig := range map[string]string{"wrong": delivery.Sign("other", body), "missing": "", "bare hex": delivery.Sign(hookSecret, body)[7:]} {
			if _, err := f.svc.Webhook(ctx, body, sig, ts); !apperr.Is(err, apperr.Unauthenticated) {
				t.Errorf("%s signature: %v", name, err)
			}
		}
		old := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
		if _, err := f.svc.Webhook(ctx, body, delivery.Sign(hookSecret, body), old); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("stale timestamp: %v", err)
		}
		if d, _ := f.svc.Get(ctx, deskClerk, f.cases.c.No); d.Status != delivery.Accepted || len(f.cases.acts) != 0 {
			t.Fatalf("refused webhooks changed the shipment: %s, acts %v", d.Status, f.cases.acts)
		}
		transit := []byte(`{"trackingNo":"EA123456789CN","status":"in_transit"}`)
		if d, err := f.svc.Webhook(ctx, transit, delivery.Sign(hookSecret, transit), ts); err != nil || d.Status != delivery.InTransit {
			t.Fatalf("in transit: %v %v", d.Status, err)
		}
		d, err := f.svc.Webhook(ctx, body, delivery.Sign(hookSecret, body), ts)
		if err != nil || d.Status != delivery.Delivered || len(d.Updates) != 3 || d.Updates[2].Source != "ems" {
			t.Fatalf("delivered: %+v %v", d, err)
		}
		if len(f.cases.acts) != 1 || f.cases.acts[0] != cases.Deliver || f.cases.c.Status != cases.Delivered {
			t.Errorf("case actions %v, status %s", f.cases.acts, f.cases.c.Status)
		}
		if d, err := f.svc.Webhook(ctx, transit, delivery.Sign(hookSecret, transit), ts); err != nil || d.Status != delivery.Delivered {
			t.Errorf("a late update moved the shipment back: %v %v", d.Status, err)
		}
	})
}

func TestPickupNeedsTheCodeAndTheApplicantsID(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, f := context.Background(), newDeliveryFixture(db)
		no := f.cases.c.No
		if _, err := f.svc.Choose(ctx, deliveryApplicant, no, delivery.Choice{Method: delivery.Window, Place: "A05"}); err != nil {
			t.Fatal(err)
		}
		code := f.texts.code
		if len(code) != 6 {
			t.Fatalf("code %q", code)
		}
		d, _ := f.svc.Get(ctx, deskClerk, no)
		if strings.Contains(d.CodeHash, code) || d.CodeHash == "" {
			t.Errorf("the code is stored in clear: %q", d.CodeHash)
		}
		msgs, _, _ := outbox.New(outbox.Config{Store: db.Outbox()}).List(ctx, &identity.Principal{Kind: identity.Staff,
			Roles: []identity.Role{identity.Admin}}, "")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, code) || msgs[0].Recipient != "13800000000" {
			t.Errorf("pickup SMS = %+v", msgs)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		steps := []struct {
			name string
			in   delivery.HandoverInput
		}{
			{"wrong code", delivery.HandoverInput{Code: wrong, IDNumber: applicantID}},
			{"right code, someone else's ID", delivery.HandoverInput{Code: code, IDNumber: otherID}},
			{"right code, invalid ID", delivery.HandoverInput{Code: code, IDNumber: "123"}},
		}
		for _, s := range steps {
			if _, err := f.svc.Handover(ctx, deskClerk, no, s.in); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s: %v", s.name, err)
			}
		}
		if len(f.cases.acts) != 0 {
			t.Fatalf("refused handovers moved the case: %v", f.cases.acts)
		}
		d, err := f.svc.Handover(ctx, deskClerk, no, delivery.HandoverInput{Code: code, IDNumber: strings.ToLower(applicantID), Window: "A05"})
		if err != nil {
			t.Fatal(err)
		}
		h := d.Handover
		if h == nil || h.ToRole != "applicant" || h.By != "王窗口" || h.Window != "A05" || h.MaskedID() == applicantID || h.ToName != "李四" {
			t.Errorf("handover = %+v", h)
		}
		if len(f.cases.acts) != 1 || f.cases.acts[0] != cases.Deliver {
			t.Errorf("case actions = %v", f.cases.acts)
		}
		if _, err := f.svc.Handover(ctx, deskClerk, no, delivery.HandoverInput{Code: code, IDNumber: applicantID}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second handover: %v", err)
		}
	})
}

func TestPickupLocksAfterTooManyWrongCodes(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	ctx, f := context.Background(), newDeliveryFixture(db)
	no := f.cases.c.No
	if _, err := f.svc.Choose(ctx, deliveryApplicant, no, delivery.Choice{Method: delivery.Locker}); err != nil {
		t.Fatal(err)
	}
	for range delivery.MaxCodeAttempts {
		_, _ = f.svc.Handover(ctx, deskClerk, no, delivery.HandoverInput{Code: "x", IDNumber: applicantID})
	}
	if _, err := f.svc.Handover(ctx, deskClerk, no, delivery.HandoverInput{Code: f.texts.code, IDNumber: applicantID}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("after %d wrong codes: %v", delivery.MaxCodeAttempts, err)
	}
}
