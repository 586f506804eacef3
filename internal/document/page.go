package document

import (
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// Layout constants, in millimetres and points. The page is A4 portrait.
const (
	fontFamily = "cjk"
	margin     = 20.0
	bottom     = 20.0
	lineH      = 7.0
	bodyPt     = 11.0
	smallPt    = 9.0
)

var red = [3]int{200, 16, 46}

// header is what every document prints at the top of page one.
type header struct {
	center string // issuing center or authority, printed in red
	title  string
	number string // "编号：…" or a 文号, printed right-aligned
	date   time.Time
	qr     string // URL for the QR code at the top right; none when empty
	qrText string // caption under the QR code
}

// page wraps an fpdf document with the shared government layout.
type page struct {
	pdf    *fpdf.Fpdf
	r      *Renderer
	widths map[rune]float64 // per-pt widths in mm, by rune
	cp1252 func(string) string
}

func (r *Renderer) newPage(h header) (*page, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottom)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(h.date)
	pdf.SetModificationDate(h.date)
	pdf.SetTitle(h.title, true)
	pdf.SetCreator("onevisit", true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", r.font)
	p := &page{pdf: pdf, r: r, widths: map[rune]float64{}, cp1252: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.SetFooterFunc(p.footer)
	pdf.AddPage()
	p.letterhead(h.center)
	top, below := pdf.GetY(), 0.0
	if h.qr != "" {
		var err error
		if below, err = p.qr(h.qr, h.qrText, margin+p.usable(), top); err != nil {
			return nil, err
		}
	}
	p.title(h.title)
	if h.number != "" {
		p.write(h.number, bodyPt, lineH, p.usable()-qrSize-4, "R")
	}
	pdf.SetY(max(pdf.GetY()+2, below))
	return p, nil
}

// footer prints the page number the way GB/T 9704 asks: "— 1 —".
func (p *page) footer() {
	_, ph := p.pdf.GetPageSize()
	p.draw(fmt.Sprintf("— %d —", p.pdf.PageNo()), smallPt, margin, ph-15, p.usable(), 8, "C")
}

func (p *page) letterhead(center string) {
	p.pdf.SetTextColor(red[0], red[1], red[2])
	p.line(center, 16, "C")
	p.pdf.SetTextColor(0, 0, 0)
	y := p.pdf.GetY() + 1
	p.pdf.SetDrawColor(red[0], red[1], red[2])
	p.pdf.SetLineWidth(0.5)
	p.pdf.Line(margin, y, p.usable()+margin, y)
	p.pdf.SetDrawColor(0, 0, 0)
	p.pdf.SetLineWidth(0.2)
	p.pdf.SetY(y + 3)
}

func (p *page) title(s string) {
	p.line(s, 20, "C")
	p.pdf.Ln(3)
}

// line prints one line of text of the given size, wrapping if it must.
func (p *page) line(s string, size float64, align string) {
	p.write(s, size, size*0.5, 0, align)
}

// para prints a body paragraph, indented by two full-width spaces.
func (p *page) para(s string) {
	p.write("\u3000\u3000"+s, bodyPt, lineH, 0, "L")
}

// plain prints body text without an indent (salutations, labels).
func (p *page) plain(s string) {
	p.write(s, bodyPt, lineH, 0, "L")
}

func (p *page) heading(s string) {
	p.pdf.Ln(2)
	p.line(s, 12, "L")
	p.pdf.Ln(1)
}

// usable is the width between the margins.
func (p *page) usable() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - 2*margin
}

// ensure starts a new page unless h millimetres are left above the bottom margin.
func (p *page) ensure(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-bottom {
		p.pdf.AddPage()
	}
}

// dateCN formats a date as official documents do: "2026年1月5日".
func dateCN(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// dateTimeCN formats a date and a time of day: "2026年1月5日 09:30".
func dateTimeCN(t time.Time) string {
	return fmt.Sprintf("%s %02d:%02d", dateCN(t), t.Hour(), t.Minute())
}
