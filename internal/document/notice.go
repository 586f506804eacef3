package document

import (
	"errors"
	"strconv"
	"time"
)

// Art32 is the sentence of 行政许可法 Art. 32 that a one-time notice quotes.
const Art32 = "申请材料不齐全或者不符合法定形式的，应当当场或者在五日内一次告知申请人需要补正的全部内容"

// Deficiency is one missing or defective material and what fixes it.
type Deficiency struct {
	Material string // 材料名称
	Problem  string // 存在问题, e.g. "缺少", "复印件不清晰"
	Needed   string // 需补正内容: what to bring
}

// NoticeData is the content of a one-time notice (一次性告知书).
type NoticeData struct {
	Center       string // 行政服务中心名称
	Number       string // 告知书编号
	CaseNo       string // 收件编号, optional
	Item         string // 事项名称
	Applicant    Applicant
	Deficiencies []Deficiency
	Clerk        string    // 经办人
	Window       string    // 窗口
	ResubmitURL  string    // encoded in the QR code
	Date         time.Time // 告知日期; also the PDF creation date
}

// Notice renders the one-time notice listing every correction the applicant
// must make, as 行政许可法 Art. 32 requires.
func (r *Renderer) Notice(d NoticeData) ([]byte, error) {
	if len(d.Deficiencies) == 0 {
		return nil, errors.New("document: a one-time notice needs at least one deficiency")
	}
	h := header{center: d.Center, title: "一次性告知书", number: "编号：" + d.Number, date: d.Date,
		qr: d.ResubmitURL, qrText: "扫码在线补正"}
	return r.render(h, func(p *page) error {
		p.plain(d.Applicant.salutation())
		p.para(noticeText(d))
		p.table(deficiencyColumns, deficiencyRows(d.Deficiencies), true)
		p.pdf.Ln(2)
		p.para(noticeClosing(d))
		p.seal(d.Center, "（行政服务中心受理专用章）", d.Date)
		return nil
	})
}

func noticeText(d NoticeData) string {
	s := "你（单位）申请的" + d.Item
	if d.CaseNo != "" {
		s += "（收件编号：" + d.CaseNo + "）"
	}
	return s + "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条“" +
		Art32 + "”的规定，现一次性告知你（单位）需要补正的全部内容如下："
}

func noticeClosing(d NoticeData) string {
	s := "请按上述要求补齐材料后，到" + d.Window + "窗口提交"
	if d.ResubmitURL != "" {
		s += "，或扫描右上角二维码、登录 " + d.ResubmitURL + " 在线提交"
	}
	return s + "。经办人：" + d.Clerk + "。"
}

var deficiencyColumns = []column{
	{"序号", 0.08, "C"}, {"材料名称", 0.32, "L"}, {"存在问题", 0.25, "L"}, {"需补正内容", 0.35, "L"},
}

func deficiencyRows(ds []Deficiency) [][]string {
	out := make([][]string, len(ds))
	for i, d := range ds {
		out[i] = []string{strconv.Itoa(i + 1), d.Material, d.Problem, d.Needed}
	}
	return out
}
