package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/calendar"
	"onevisit/internal/cases"
	"onevisit/internal/document"
)

// handleCasePDF serves a case's receipt, one-time notice or decision as a
// PDF, rendered from the case record (documents are deterministic, so the
// same case gives the same bytes).
func (s *Server) handleCasePDF(w http.ResponseWriter, r *http.Request) {
	if s.docs == nil {
		s.renderError(w, r, apperr.New(apperr.Internal, "err.no_font"))
		return
	}
	c, err := s.cases.Open(r.Context(), principalOf(r.Context()), r.PathValue("no"), "case document "+r.PathValue("doc"))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var pdf []byte
	base := s.publicURL(r)
	switch r.PathValue("doc") {
	case "receipt.pdf":
		pdf, err = s.docs.Receipt(receiptData(s.center, base, &c))
	case "notice.pdf":
		if len(c.Notices) == 0 {
			err = apperr.New(apperr.NotFound, "err.not_found")
			break
		}
		pdf, err = s.docs.Notice(noticeData(s.center, base, &c, c.Notices[len(c.Notices)-1]))
	case "decision.pdf":
		pdf, err = s.docs.Decision(decisionData(s.center, &c))
	case "refusal.pdf":
		pdf, err = s.docs.Refusal(document.RefusalData{Center: s.center, Number: c.No + "-B", Item: c.ItemName,
			Applicant: applicantOf(&c), SubmittedAt: c.CreatedAt, Reason: c.Decision, ReviewOrgan: "宁波市人民政府", Date: c.UpdatedAt})
	default:
		err = apperr.New(apperr.NotFound, "err.not_found")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", c.No+"-"+r.PathValue("doc")))
	_, _ = w.Write(pdf)
}

// publicURL is the site's public address: configured, or the request's.
func (s *Server) publicURL(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func applicantOf(c *cases.Case) document.Applicant {
	t := "身份证"
	if c.Applicant.Kind == "legal" {
		t = "统一社会信用代码"
	}
	return document.Applicant{Name: c.Applicant.Name, IDType: t, IDNumber: c.Applicant.Code()}
}

func cnDate(d calendar.Deadline) string {
	if d.Date.IsZero() {
		return ""
	}
	s := fmt.Sprintf("%d年%d月%d日", d.Date.Year, d.Date.Month, d.Date.Day)
	if d.Noon {
		s += "中午"
	}
	return s
}

func receiptData(center, base string, c *cases.Case) document.ReceiptData {
	d := document.ReceiptData{Center: center, CaseNo: c.No, Item: c.ItemName, Applicant: applicantOf(c),
		AcceptedAt: c.Clock.Start.In(calendar.Shanghai).Add(9 * time.Hour), LegalDue: cnDate(c.DueStatutory),
		PromisedDue: cnDate(c.DuePromised), Clerk: c.AcceptedBy, Window: c.Window,
		ProgressURL: base + "/progress?no=" + url.QueryEscape(c.No)}
	for _, m := range c.Materials {
		switch {
		case m.Received:
			d.Received = append(d.Received, document.ReceivedMaterial{Name: m.Name, Originals: 1})
		case !m.Promised.IsZero():
			d.Pending = append(d.Pending, document.PendingMaterial{Name: m.Name,
				PromisedBy: cnDate(calendar.Deadline{Date: m.Promised})})
		}
	}
	return d
}

func noticeData(center, base string, c *cases.Case, n cases.NoticeRecord) document.NoticeData {
	d := document.NoticeData{Center: center, Number: c.No + "-" + n.Number, CaseNo: c.No, Item: c.ItemName, Applicant: applicantOf(c),
		Clerk: n.By, Window: c.Window, Date: n.At, ResubmitURL: base + "/progress?no=" + url.QueryEscape(c.No)}
	for _, m := range n.Items {
		problem, needed := "缺少", "提交"+m.Name
		if m.Problem != "" {
			problem, needed = m.Problem, "按要求补正后重新提交"+m.Name
		}
		d.Deficiencies = append(d.Deficiencies, document.Deficiency{Material: m.Name, Problem: problem, Needed: needed})
	}
	return d
}

func decisionData(center string, c *cases.Case) document.DecisionData {
	return document.DecisionData{Authority: center, Number: c.No + "-J", CaseNo: c.No, Item: c.ItemName,
		Applicant: applicantOf(c), Approved: c.Status != cases.Denied, AcceptedAt: c.Clock.Start.In(calendar.Shanghai),
		Reason: c.Decision, Date: c.DecidedAt, ReviewOrgan: "宁波市人民政府"}
}
