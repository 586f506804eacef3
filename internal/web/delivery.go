package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/cases"
	"onevisit/internal/delivery"
	"onevisit/internal/i18n"
	"onevisit/internal/identity"
)

func (s *Server) withDelivery(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.delivery == nil {
			s.renderError(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// deliveryData is a case's delivery page: the applicant's choice, the
// shipment's history or the handover, and staff's forms.
type deliveryData struct {
	Case     cases.Case
	Delivery *delivery.Delivery // nil until a method is chosen
	Methods  []delivery.Method
	CanPick  bool // the choice may still be made or changed
	Staff    bool // the viewer may enter updates and hand over
	Statuses []delivery.Status
}

// handleDelivery shows how the result of a case reaches the applicant.
func (s *Server) handleDelivery(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r.Context())
	c, err := s.cases.Case(r.Context(), p, r.PathValue("no"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	data := deliveryData{Case: c, Methods: delivery.Methods, Staff: p.Can(identity.PermLicencesIssue) || p.Can(identity.PermCasesAccept),
		Statuses: []delivery.Status{delivery.Accepted, delivery.InTransit, delivery.Delivered, delivery.Returned}}
	d, err := s.delivery.Get(r.Context(), p, c.No)
	switch {
	case err == nil:
		data.Delivery = &d
	case !apperr.Is(err, apperr.NotFound):
		s.renderError(w, r, err)
		return
	}
	ready := c.Status == cases.Approved || c.Status == cases.Issued
	data.CanPick = ready && (data.Delivery == nil || (!d.Done() && (d.Method.Pickup() || d.Status == delivery.Pending)))
	v := s.newView(w, r, "title.delivery")
	v.Flash = flashParam(r)
	if msg := r.URL.Query().Get("err"); msg != "" {
		v.Error = &i18n.Localized{Message: msg}
	}
	v.Data = data
	s.render(w, r, http.StatusOK, "delivery", v)
}

func deliveryBack(r *http.Request) string {
	return "/cases/" + url.PathEscape(r.PathValue("no")) + "/delivery"
}

// handleDeliveryChoose records the applicant's choice.
func (s *Server) handleDeliveryChoose(w http.ResponseWriter, r *http.Request) {
	in := delivery.Choice{Method: delivery.Method(r.PostFormValue("method")), Place: r.PostFormValue("place"),
		Address: delivery.Address{Recipient: r.PostFormValue("recipient"), Phone: r.PostFormValue("phone"),
			Province: r.PostFormValue("province"), City: r.PostFormValue("city"), District: r.PostFormValue("district"),
			Street: r.PostFormValue("street")}}
	_, err := s.delivery.Choose(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	s.deliveryResult(w, r, err, "flash.delivery_chosen")
}

// handleDeliveryShipment records a shipment update typed in by staff.
func (s *Server) handleDeliveryShipment(w http.ResponseWriter, r *http.Request) {
	in := delivery.ShipmentInput{Tracking: r.PostFormValue("tracking"), Status: delivery.Status(r.PostFormValue("status")),
		Note: r.PostFormValue("note")}
	_, err := s.delivery.Ship(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	s.deliveryResult(w, r, err, "flash.delivery_updated")
}

// handleDeliveryHandover hands a pickup over against code and ID number.
func (s *Server) handleDeliveryHandover(w http.ResponseWriter, r *http.Request) {
	in := delivery.HandoverInput{Code: r.PostFormValue("code"), IDNumber: r.PostFormValue("id_number"),
		Name: r.PostFormValue("name"), Window: r.PostFormValue("window")}
	_, err := s.delivery.Handover(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	s.deliveryResult(w, r, err, "flash.delivery_handed_over")
}

// deliveryResult redirects back to the delivery page with a notice, or
// with the error's message (field messages included) for a wrong input.
func (s *Server) deliveryResult(w http.ResponseWriter, r *http.Request, err error, flash string) {
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid && len(e.Fields) > 0 {
		loc := s.msgs.Error(prefsOf(r.Context()).Lang, err)
		msg := strings.Join(slices.Sorted(maps.Values(loc.Fields)), " ")
		http.Redirect(w, r, deliveryBack(r)+"?err="+url.QueryEscape(msg), http.StatusSeeOther)
		return
	}
	s.licenceResult(w, r, deliveryBack(r), err, flash)
}
