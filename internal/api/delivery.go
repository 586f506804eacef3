package api

import (
	"io"
	"net/http"

	"onevisit/internal/apperr"
	"onevisit/internal/delivery"
)

// maxWebhookBody caps a courier's status update.
const maxWebhookBody = 64 << 10

func (a *API) withDelivery(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.delivery == nil {
			a.error(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		next(w, r)
	}
}

// handleDelivery is GET /cases/{no}/delivery.
func (a *API) handleDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := a.delivery.Get(r.Context(), principalOf(r.Context()), r.PathValue("no"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleDeliveryChoose is POST /cases/{no}/delivery: the applicant's choice.
func (a *API) handleDeliveryChoose(w http.ResponseWriter, r *http.Request) {
	var in delivery.Choice
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	d, err := a.delivery.Choose(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleDeliveryShipment is POST /cases/{no}/delivery/shipment: staff enter a status update.
func (a *API) handleDeliveryShipment(w http.ResponseWriter, r *http.Request) {
	var in delivery.ShipmentInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	d, err := a.delivery.Ship(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleDeliveryHandover is POST /cases/{no}/delivery/handover.
func (a *API) handleDeliveryHandover(w http.ResponseWriter, r *http.Request) {
	var in delivery.HandoverInput
	if err := decode(r, &in); err != nil {
		a.error(w, r, err)
		return
	}
	d, err := a.delivery.Handover(r.Context(), principalOf(r.Context()), r.PathValue("no"), in)
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleEMSWebhook is POST /delivery/ems/webhook: the courier's status
// update, signed over the raw body (see delivery.Service.Webhook).
func (a *API) handleEMSWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil || len(body) > maxWebhookBody {
		a.error(w, r, apperr.New(apperr.Invalid, "err.upload_too_large"))
		return
	}
	d, err := a.delivery.Webhook(r.Context(), body, r.Header.Get("X-Signature"), r.Header.Get("X-Timestamp"))
	if err != nil {
		a.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"caseNo": d.CaseNo, "status": d.Status})
}
