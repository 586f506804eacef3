package document

import (
	"errors"
	"time"
)

// DecisionData is the content of a decision letter on an application:
// 准予行政许可决定书 when Approved, 不予行政许可决定书 otherwise.
type DecisionData struct {
	Authority   string // 作出决定的行政机关
	Number      string // 文号, e.g. "杭市监许〔2026〕123号"
	CaseNo      string // 办件编号
	Item        string // 事项名称
	Applicant   Applicant
	Approved    bool
	AcceptedAt  time.Time // 受理日期
	Reason      string    // 审查意见: why the application does or does not meet the conditions
	Basis       string    // 法律依据, e.g. "《中华人民共和国食品安全法》第三十五条"
	ReviewOrgan string    // 行政复议机关; required when refused
	Note        string    // optional closing paragraph, e.g. how to collect the licence
	Date        time.Time // 决定日期; also the PDF creation date
}

// Decision renders an approval or refusal decision. A refusal states the
// applicant's remedies: administrative review within sixty days or a lawsuit
// within six months.
func (r *Renderer) Decision(d DecisionData) ([]byte, error) {
	if !d.Approved && d.ReviewOrgan == "" {
		return nil, errors.New("document: a refusal decision needs the review organ (行政复议机关)")
	}
	title := "准予行政许可决定书"
	if !d.Approved {
		title = "不予行政许可决定书"
	}
	h := header{center: d.Authority, title: title, number: d.Number, date: d.Date}
	return r.render(h, func(p *page) error {
		p.plain(d.Applicant.salutation())
		p.para(decisionText(d))
		if !d.Approved {
			p.para(Remedies("决定书", d.ReviewOrgan))
		}
		if d.Note != "" {
			p.para(d.Note)
		}
		p.seal(d.Authority, "（行政许可专用章）", d.Date)
		return nil
	})
}

func decisionText(d DecisionData) string {
	s := "你（单位）申请的" + d.Item
	if d.CaseNo != "" {
		s += "（办件编号：" + d.CaseNo + "）"
	}
	s += "，本机关于" + dateCN(d.AcceptedAt) + "依法受理。经审查，" + d.Reason
	if d.Basis != "" {
		s += "根据" + d.Basis + "的规定，"
	}
	if d.Approved {
		return s + "决定准予行政许可。"
	}
	return s + "决定不予行政许可。"
}

// Remedies is the standard statement of an applicant's remedies against an
// adverse decision; doc names the paper it is printed on ("决定书",
// "通知书") and organ the administrative review body.
func Remedies(doc, organ string) string {
	return "如不服本决定，可以在收到本" + doc + "之日起六十日内向" + organ +
		"申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
}
