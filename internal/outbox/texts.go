package outbox

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"onevisit/internal/calendar"
	"onevisit/internal/cases"
)

// text is the template of one kind of message. In the body {sign} is the
// SMS signature, {no} the case number, {due} ", promised by <date>" (or
// nothing when the case has no promised date) and {link} the progress page.
// Texts are Chinese, as the applicant's phone shows them, and short: the
// signature, number and link already take most of a 70-character segment.
type text struct{ subject, body string }

var texts = map[string]text{
	"case.accepted":        {"办件受理通知", "【{sign}】您的办件{no}已受理{due}。{link}"},
	"case.deemed_accepted": {"办件受理通知", "【{sign}】您的办件{no}逾期未获补正告知，依法视为自收到材料之日起受理{due}。{link}"},
	"case.noticed":         {"一次性告知", "【{sign}】您的办件{no}材料需补正，请按一次性告知书一次补齐后重新提交。{link}"},
	"case.corrections":     {"预审补正通知", "【{sign}】您的网上申请{no}预审需补正，请登录按提示修改后重新提交。{link}"},
	"case.refused":         {"不予受理通知", "【{sign}】您的办件{no}不予受理，理由详见不予受理决定书。{link}"},
	"case.approved":        {"审批结果通知", "【{sign}】您的办件{no}已准予许可，出件后将另行通知。{link}"},
	"case.denied":          {"审批结果通知", "【{sign}】您的办件{no}不予许可，理由及救济途径详见决定书。{link}"},
	"case.issued":          {"出件通知", "【{sign}】您的办件{no}结果已出件，请按您选择的方式领取。{link}"},
	"case.delivered":       {"送达通知", "【{sign}】您的办件{no}结果已送达，欢迎对本次服务作出评价。{link}"},
	"case.suspended":       {"特别程序告知", "【{sign}】您的办件{no}进入特别程序，期间不计入办理时限。{link}"},
	"case.resumed":         {"恢复办理通知", "【{sign}】您的办件{no}已恢复办理{due}。{link}"},
	"delivery.pickup_code": {"取件码", "【{sign}】您的办件{no}取件码{code}，出件后请本人或代办人持身份证件{place}领取，勿告知他人。"},
}

// templates names the message each action sends; actions not listed (a
// submission the applicant made, a completed step, an archive…) send none.
var templates = map[cases.Action]string{
	cases.Accept: "case.accepted", cases.Notice: "case.noticed", cases.PretrialCorrect: "case.corrections",
	cases.Refuse: "case.refused", cases.PretrialRefuse: "case.refused", cases.Approve: "case.approved",
	cases.Deny: "case.denied", cases.Issue: "case.issued", cases.Deliver: "case.delivered",
	cases.Suspend: "case.suspended", cases.Resume: "case.resumed",
}

// systemActor is the actor of the scheduled jobs in case events: an
// acceptance by the system is a deemed acceptance (行政许可法 Art. 32).
const systemActor = "system"

// TemplateFor is the key of the message an event sends, or "".
func TemplateFor(ev cases.Event) string {
	if ev.Action == cases.Accept && ev.Actor == systemActor {
		return "case.deemed_accepted"
	}
	return templates[ev.Action]
}

// compose makes the messages one event sends: an SMS to the applicant's
// mobile phone and an email to the address given on the application form
// (field "email"), each if there is one. The case is as it stands when the
// event is relayed, seconds after it: a due date changed in between is
// shown as changed.
func (s *Service) compose(ce CaseEvent, base Message) []Message {
	key := TemplateFor(ce.Event)
	c := ce.Case
	if key == "" || c.No == "" {
		return nil
	}
	t := texts[key]
	base.CaseNo, base.EventID, base.Template, base.Status = c.No, ce.Event.Seq, key, Pending
	base.Subject = fmt.Sprintf("【%s】%s（%s）", s.sign, t.subject, c.No)
	base.Text = s.fill(t.body, c)
	var ms []Message
	if phone := mobile(c.Applicant.Phone); phone != "" {
		m := base
		m.Channel, m.Recipient = SMS, phone
		ms = append(ms, m)
	}
	if addr := emailOf(c); addr != "" {
		m := base
		m.Channel, m.Recipient = Email, addr
		ms = append(ms, m)
	}
	return ms
}

func (s *Service) fill(body string, c cases.Case) string {
	due, link := "", ""
	if !c.DuePromised.Date.IsZero() {
		due = "，承诺于" + dueText(c.DuePromised) + "前办结"
	}
	if s.baseURL != "" {
		link = "查询：" + s.baseURL + "/progress?no=" + c.No
	}
	return strings.NewReplacer("{sign}", s.sign, "{no}", c.No, "{due}", due, "{link}", link).Replace(body)
}

// dueText is a deadline as a Chinese date: 2026年12月2日, or 2026年12月2日中午
// when it ends with the morning session.
func dueText(d calendar.Deadline) string {
	s := fmt.Sprintf("%d年%d月%d日", d.Date.Year, int(d.Date.Month), d.Date.Day)
	if d.Noon {
		s += "中午"
	}
	return s
}

// mobile is a mainland mobile number (11 digits from 1, an optional +86
// and separators removed), or "" for anything else, which cannot take SMS.
func mobile(phone string) string {
	p := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(phone))
	p = strings.TrimPrefix(strings.TrimPrefix(p, "+86"), "0086")
	if len(p) != 11 || p[0] != '1' {
		return ""
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return p
}

// emailOf is the applicant's email address from the application form, if
// a valid one was given.
func emailOf(c cases.Case) string {
	v := strings.TrimSpace(c.Form["email"])
	if v == "" {
		return ""
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return ""
	}
	return a.Address
}

// PickupMessages is the SMS that gives the applicant of c the pickup code
// of its result, to collect at place (a window or locker; may be ""). The
// code is in no case event, so the delivery service queues this message
// itself, in the transaction that stores the code's hash.
func (s *Service) PickupMessages(c cases.Case, code, place string) []Message {
	phone := mobile(c.Applicant.Phone)
	if phone == "" {
		return nil
	}
	const key = "delivery.pickup_code"
	if place != "" {
		place = "到" + place
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	body := strings.NewReplacer("{code}", code, "{place}", place).Replace(s.fill(texts[key].body, c))
	return []Message{{Channel: SMS, Recipient: phone, CaseNo: c.No, Template: key, Status: Pending,
		Subject: fmt.Sprintf("【%s】%s（%s）", s.sign, texts[key].subject, c.No), Text: body, CreatedAt: now, NextAttemptAt: now}}
}
