package web

import (
	"net/http"
	"net/url"
	"strings"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/catalog"
	"onevisit/internal/identity"
)

type acceptData struct {
	Query   string
	Items   []catalog.Item
	Bundles []catalog.Bundle
	Item    *catalog.Item       // the chosen item, with its checklist
	Bundle  *catalog.BundleView // or the chosen bundle, with its merged checklist
}

// handleAcceptForm is 无差别全科受理: any clerk finds any item, registers the
// applicant and ticks the material checklist of the item's current version.
func (s *Server) handleAcceptForm(w http.ResponseWriter, r *http.Request) {
	v := s.newView(w, r, "title.accept")
	if err := s.fillAccept(r, v, r.URL.Query().Get("q"), r.URL.Query().Get("item"), r.URL.Query().Get("bundle")); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "accept", v)
}

func (s *Server) fillAccept(r *http.Request, v *view, q, code, bundle string) error {
	d := acceptData{Query: q}
	if bundle != "" {
		b, err := s.catalog.Bundle(r.Context(), bundle)
		if err != nil {
			return err
		}
		d.Bundle = &b
	} else if code != "" {
		it, err := s.catalog.Item(r.Context(), code)
		if err != nil {
			return err
		}
		d.Item = &it
	} else {
		items, err := s.itemOptions(r, q)
		if err != nil {
			return err
		}
		if d.Bundles, err = s.catalog.Bundles(r.Context()); err != nil {
			return err
		}
		d.Items = items
	}
	v.Data = d
	return nil
}

// handleAccept receives the application at the window and takes the
// clerk's decision: accept, one-time notice or refuse.
func (s *Server) handleAccept(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("bundle") != "" {
		s.handleAcceptBundle(w, r)
		return
	}
	code := r.PostFormValue("item")
	in := cases.Application{ItemCode: code, Decision: cases.Action(r.PostFormValue("decision")),
		Reason: r.PostFormValue("reason"), Window: r.PostFormValue("window"), Applicant: applicantFromForm(r),
		Agent: cases.Agent{Name: r.PostFormValue("agentName"), IDNumber: r.PostFormValue("agentId")}}
	in.Materials = ticksFromForm(r)
	c, err := s.cases.Apply(r.Context(), principalOf(r.Context()), in, r.PostFormValue("idem"))
	if err != nil {
		s.acceptFailed(w, r, code, "", err)
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.No)+"?done=flash.case_done", http.StatusSeeOther)
}

// handleAcceptBundle receives a bundle (一件事) with its merged checklist.
func (s *Server) handleAcceptBundle(w http.ResponseWriter, r *http.Request) {
	code := r.PostFormValue("bundle")
	in := cases.BundleApplication{BundleCode: code, Applicant: applicantFromForm(r), Materials: ticksFromForm(r),
		Accept: r.PostFormValue("decision") == string(cases.Accept), Window: r.PostFormValue("window"),
		Agent: cases.Agent{Name: r.PostFormValue("agentName")}}
	c, err := s.cases.ApplyBundle(r.Context(), principalOf(r.Context()), in, r.PostFormValue("idem"))
	if err != nil {
		s.acceptFailed(w, r, "", code, err)
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.No)+"?done=flash.case_done", http.StatusSeeOther)
}

// applicantFromForm reads the applicant block of the acceptance form.
func applicantFromForm(r *http.Request) cases.Applicant {
	a := cases.Applicant{Kind: identity.Kind(r.PostFormValue("kind")), Name: r.PostFormValue("name"),
		IDNumber: r.PostFormValue("idNumber"), USCC: r.PostFormValue("uscc"), LegalRep: r.PostFormValue("legalRep"),
		Phone: r.PostFormValue("phone")}
	if a.Kind == identity.Legal {
		a.IDNumber = ""
	} else {
		a.USCC = ""
	}
	return a
}

// ticksFromForm reads the checklist: received_CODE, promised_CODE (a date
// for tolerant materials) and problem_CODE for each listed code.
func ticksFromForm(r *http.Request) []cases.Tick {
	var ticks []cases.Tick
	for _, code := range r.PostForm["material"] {
		t := cases.Tick{Code: code, Received: r.PostFormValue("received_"+code) == "1",
			Problem: strings.TrimSpace(r.PostFormValue("problem_" + code))}
		if d, err := calendar.ParseDate(r.PostFormValue("promised_" + code)); err == nil && !t.Received {
			t.PromisedBy = d
		}
		ticks = append(ticks, t)
	}
	return ticks
}

func (s *Server) acceptFailed(w http.ResponseWriter, r *http.Request, code, bundle string, err error) {
	if k := kindOf(err); k != apperr.Invalid && k != apperr.Conflict {
		s.renderError(w, r, err)
		return
	}
	v := s.newView(w, r, "title.accept")
	if ferr := s.fillAccept(r, v, "", code, bundle); ferr != nil {
		s.renderError(w, r, ferr)
		return
	}
	loc := s.msgs.Error(v.Lang, err)
	v.Error, v.Form = &loc, r.PostForm
	s.render(w, r, http.StatusUnprocessableEntity, "accept", v)
}
