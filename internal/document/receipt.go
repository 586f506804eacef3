package document

import (
	"errors"
	"strconv"
	"time"
)

// ReceivedMaterial is one material taken in at the window.
type ReceivedMaterial struct {
	Name      string // 材料名称
	Originals int    // 原件份数
	Copies    int    // 复印件份数
	Note      string // 备注, optional
}

// PendingMaterial is a material accepted under 容缺受理: the applicant
// promised to bring it later.
type PendingMaterial struct {
	Name       string // 材料名称
	PromisedBy string // 承诺补交日期, e.g. "2026年12月4日"
}

// ReceiptData is the content of an acceptance receipt (受理通知书/受理回执).
type ReceiptData struct {
	Center      string    // 行政服务中心名称
	Title       string    // "受理通知书" when empty; "受理回执" is the other usual title
	CaseNo      string    // 办件编号
	Item        string    // 事项名称
	Applicant   Applicant // printed with a masked ID number
	AcceptedAt  time.Time // 受理时间; also the PDF creation date and the date under the seal
	LegalDue    string    // 法定办结日期, computed by the caller
	PromisedDue string    // 承诺办结日期, computed by the caller
	Received    []ReceivedMaterial
	Pending     []PendingMaterial // 容缺材料
	Clerk       string            // 受理人
	Window      string            // 受理窗口
	ProgressURL string            // encoded in the QR code
}

// Receipt renders the written acceptance certificate that 行政许可法
// Art. 32 requires, with a QR code for following the case.
func (r *Renderer) Receipt(d ReceiptData) ([]byte, error) {
	if d.CaseNo == "" {
		return nil, errors.New("document: receipt needs a case number")
	}
	title := d.Title
	if title == "" {
		title = "受理通知书"
	}
	h := header{center: d.Center, title: title, number: "办件编号：" + d.CaseNo, date: d.AcceptedAt,
		qr: d.ProgressURL, qrText: "扫码查询办理进度"}
	return r.render(h, func(p *page) error {
		p.plain(d.Applicant.salutation())
		p.para(receiptText(d))
		p.table(kvColumns, receiptFacts(d), false)
		p.heading("已收取的申请材料")
		p.table(receivedColumns, receivedRows(d.Received), true)
		if len(d.Pending) > 0 {
			p.heading("容缺材料（承诺后补）")
			p.table(pendingColumns, pendingRows(d.Pending), true)
		}
		p.seal(d.Center, "（行政服务中心受理专用章）", d.AcceptedAt)
		return nil
	})
}

func receiptText(d ReceiptData) string {
	s := "你（单位）申请的" + d.Item + "，经审查，"
	if len(d.Pending) == 0 {
		return s + "申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。"
	}
	return s + "主要申请材料齐全、符合法定形式，按照容缺受理的规定予以受理。请在承诺日期前补交下列容缺材料，逾期未补交的，按规定处理。"
}

var kvColumns = []column{{"", 0.16, "L"}, {"", 0.34, "L"}, {"", 0.16, "L"}, {"", 0.34, "L"}}

func receiptFacts(d ReceiptData) [][]string {
	rows := [][]string{
		{"事项名称", d.Item, "受理时间", dateTimeCN(d.AcceptedAt)},
		{"申请人", d.Applicant.Name, "证件号码", d.Applicant.idLine()},
		{"法定办结日期", d.LegalDue, "承诺办结日期", d.PromisedDue},
		{"受理窗口", d.Window, "受理人", d.Clerk},
	}
	if d.ProgressURL != "" {
		rows = append(rows, []string{"进度查询", d.ProgressURL})
	}
	return rows
}

var receivedColumns = []column{
	{"序号", 0.08, "C"}, {"材料名称", 0.52, "L"}, {"原件", 0.1, "C"}, {"复印件", 0.1, "C"}, {"备注", 0.2, "L"},
}

func receivedRows(ms []ReceivedMaterial) [][]string {
	out := make([][]string, len(ms))
	for i, m := range ms {
		out[i] = []string{strconv.Itoa(i + 1), m.Name, count(m.Originals), count(m.Copies), m.Note}
	}
	return out
}

var pendingColumns = []column{{"序号", 0.08, "C"}, {"材料名称", 0.62, "L"}, {"承诺补交日期", 0.3, "C"}}

func pendingRows(ms []PendingMaterial) [][]string {
	out := make([][]string, len(ms))
	for i, m := range ms {
		out[i] = []string{strconv.Itoa(i + 1), m.Name, m.PromisedBy}
	}
	return out
}

// count prints a number of sheets, leaving zero blank rather than "0份".
func count(n int) string {
	if n <= 0 {
		return "—"
	}
	return strconv.Itoa(n) + "份"
}
