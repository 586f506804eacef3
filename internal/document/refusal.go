package document

import (
	"errors"
	"time"
)

// RefusalData is the content of a refusal to accept an application
// (不予受理通知书).
type RefusalData struct {
	Center      string // 行政服务中心或行政机关名称
	Number      string // 通知书编号
	Item        string // 事项名称
	Applicant   Applicant
	SubmittedAt time.Time // 申请日期
	Reason      string    // 不予受理的理由
	Redirect    string    // 有权机关, when the matter is outside this body's remit (Art. 32 item 2)
	ReviewOrgan string    // 行政复议机关
	Date        time.Time // 通知日期; also the PDF creation date
}

// Refusal renders the dated written refusal that 行政许可法 Art. 32 requires,
// with the reason and the applicant's remedies.
func (r *Renderer) Refusal(d RefusalData) ([]byte, error) {
	if d.ReviewOrgan == "" {
		return nil, errors.New("document: a refusal needs the review organ (行政复议机关)")
	}
	h := header{center: d.Center, title: "不予受理通知书", number: "编号：" + d.Number, date: d.Date}
	return r.render(h, func(p *page) error {
		p.plain(d.Applicant.salutation())
		p.para(refusalText(d))
		p.para(Remedies("通知书", d.ReviewOrgan))
		p.seal(d.Center, "（行政服务中心受理专用章）", d.Date)
		return nil
	})
}

func refusalText(d RefusalData) string {
	s := "你（单位）于" + dateCN(d.SubmittedAt) + "提出的" + d.Item + "申请，经审查，" + d.Reason +
		"根据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理。"
	if d.Redirect != "" {
		s += "请向" + d.Redirect + "提出申请。"
	}
	return s
}
