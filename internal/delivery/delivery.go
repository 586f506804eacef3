// Package delivery hands an issued result to the applicant (送达): the
// applicant chooses window pickup, a locker or EMS (free where the item
// says so, EMS证照免费送达). An EMS shipment follows the courier's status
// updates, posted to a signed webhook or entered by staff; a pickup is
// released against a six-digit code sent by SMS (stored only hashed) and the
// ID number of the applicant or their authorised agent, with a handover
// record. A delivered shipment or a completed handover moves the case to
// delivered.
package delivery

import (
	"context"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/audit"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/idcode"
	"onevisit/internal/identity"
	"onevisit/internal/outbox"
)

// Method is how the applicant collects the result.
type Method string

// The methods.
const (
	Window Method = "window" // 窗口领取
	Locker Method = "locker" // 智能柜自取
	EMS    Method = "ems"    // EMS 邮寄
)

// Methods lists every method, for forms.
var Methods = []Method{Window, Locker, EMS}

// Pickup reports whether the method hands the result over against a code.
func (m Method) Pickup() bool { return m == Window || m == Locker }

// Status is where an EMS shipment stands; pickups have none.
type Status string

// The shipment statuses, in the order a shipment passes them; delivered
// and returned are final.
const (
	Pending   Status = "pending"    // chosen, not yet handed to the courier
	Accepted  Status = "accepted"   // 已收寄
	InTransit Status = "in_transit" // 运输中
	Delivered Status = "delivered"  // 已妥投
	Returned  Status = "returned"   // 已退回
)

// rank orders the statuses: an update only moves a shipment forward, so a
// replayed or late update cannot undo a later one.
var rank = map[Status]int{Pending: 0, Accepted: 1, InTransit: 2, Delivered: 3, Returned: 3}

// Address is where an EMS shipment goes.
type Address struct {
	Recipient string `json:"recipient"`
	Phone     string `json:"phone"`
	Province  string `json:"province"`
	City      string `json:"city"`
	District  string `json:"district"`
	Street    string `json:"street"`
}

// Update is one step of a shipment's history.
type Update struct {
	Status Status    `json:"status"`
	Note   string    `json:"note,omitempty"`
	Source string    `json:"source"` // "ems" for the courier's webhook, else the staff member
	At     time.Time `json:"at"`
}

// Handover records a result handed over at the center.
type Handover struct {
	By     string    `json:"by"`     // the staff member who handed it over
	Window string    `json:"window"` // window or locker
	ToName string    `json:"toName"`
	ToID   string    `json:"-"`      // ID number checked; shown masked
	ToRole string    `json:"toRole"` // applicant or agent
	At     time.Time `json:"at"`
}

// MaskedID is the checked ID number as lists show it.
func (h Handover) MaskedID() string { return idcode.IDCard{Number: h.ToID}.Mask() }

// Delivery is the applicant's choice for a case and how far it has got.
type Delivery struct {
	CaseNo    string    `json:"caseNo"`
	Method    Method    `json:"method"`
	Free      bool      `json:"free"`              // EMS at the center's cost
	Address   Address   `json:"address,omitzero"`  // EMS only
	Tracking  string    `json:"tracking,omitzero"` // EMS waybill number
	Status    Status    `json:"status,omitempty"`  // EMS only
	Place     string    `json:"place,omitempty"`   // pickup: the window or locker
	CodeHash  string    `json:"-"`                 // salt$sha256 of the pickup code
	Attempts  int       `json:"-"`                 // wrong codes entered
	ChosenBy  string    `json:"chosenBy"`
	ChosenAt  time.Time `json:"chosenAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	Updates   []Update  `json:"updates,omitempty"`
	Handover  *Handover `json:"handover,omitempty"`
}

// Done reports whether the result has reached the applicant.
func (d Delivery) Done() bool { return d.Handover != nil || d.Status == Delivered }

// Store keeps deliveries; every change is written with its audit entry.
type Store interface {
	// SaveDelivery creates or replaces the choice for d.CaseNo and queues
	// msgs (the pickup code SMS) in the same transaction.
	SaveDelivery(ctx context.Context, d *Delivery, msgs []outbox.Message, a audit.Entry) error
	// Delivery is a case's delivery with its updates and handover; NotFound if none was chosen.
	Delivery(ctx context.Context, caseNo string) (Delivery, error)
	// DeliveryByTracking finds an EMS delivery by waybill number.
	DeliveryByTracking(ctx context.Context, tracking string) (Delivery, error)
	// UpdateShipment moves a shipment from status from (Conflict if it moved
	// meanwhile), sets its tracking number if not empty, and records u.
	UpdateShipment(ctx context.Context, caseNo string, from Status, tracking string, u Update, a audit.Entry) error
	// PickupFailed counts a wrong pickup code.
	PickupFailed(ctx context.Context, caseNo string, a audit.Entry) error
	// RecordHandover stores h; Conflict if the case was already handed over.
	RecordHandover(ctx context.Context, caseNo string, h Handover, a audit.Entry) error
}

// Cases is what delivery needs of the cases service.
type Cases interface {
	Case(ctx context.Context, p *identity.Principal, no string) (cases.Case, error)
	Act(ctx context.Context, p *identity.Principal, no string, in cases.ActInput) (cases.Case, error)
}

// Items finds a case's item, for its collect modes.
type Items interface {
	Item(ctx context.Context, code string) (catalog.Item, error)
}

// Texts makes the SMS that carries a pickup code (outbox.Service).
type Texts interface {
	PickupMessages(c cases.Case, code, place string) []outbox.Message
}

// Config is what NewService needs.
type Config struct {
	Store  Store
	Cases  Cases
	Items  Items // nil: EMS is never free
	Texts  Texts // nil: no SMS is queued (tests)
	Secret string
	Now    func() time.Time
}

// Service runs deliveries.
type Service struct {
	store  Store
	cases  Cases
	items  Items
	texts  Texts
	secret []byte
	now    func() time.Time
}

// NewService returns a Service. An empty secret disables the EMS webhook.
func NewService(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Service{store: c.Store, cases: c.Cases, items: c.Items, texts: c.Texts, secret: []byte(c.Secret), now: c.Now}
}

// system is the principal that delivers a case on the courier's word.
var system = &identity.Principal{Username: "system", Name: "system", Kind: identity.Staff,
	Roles: []identity.Role{identity.Issuer}}

// Get is the delivery of a case the principal may see.
func (s *Service) Get(ctx context.Context, p *identity.Principal, no string) (Delivery, error) {
	if _, err := s.cases.Case(ctx, p, no); err != nil {
		return Delivery{}, err
	}
	return s.store.Delivery(ctx, no)
}

// requireStaff is nil when p may enter shipment updates and hand results
// over: Unauthenticated without a principal, Forbidden for others.
func requireStaff(p *identity.Principal) error {
	if p == nil {
		return apperr.New(apperr.Unauthenticated, "err.unauthenticated")
	}
	if !isStaff(p) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// isStaff reports whether p may enter shipment updates and hand results over.
func isStaff(p *identity.Principal) bool {
	return p.Can(identity.PermLicencesIssue) || p.Can(identity.PermCasesAccept)
}

// deliver moves the case to delivered, unless it already is, acting as p
// when p may, else as the system.
func (s *Service) deliver(ctx context.Context, p *identity.Principal, no, note string) error {
	if !p.Can(identity.PermLicencesIssue) {
		p = system
	}
	c, err := s.cases.Case(ctx, p, no)
	if err != nil || c.Status == cases.Delivered || c.Status == cases.Archived {
		return err
	}
	_, err = s.cases.Act(ctx, p, no, cases.ActInput{Action: cases.Deliver, Reason: note})
	return err
}
