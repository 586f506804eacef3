package document

import (
	"errors"
	"math"
	"time"

	"github.com/go-pdf/fpdf"
)

// LicenceField is one face item (照面项) printed on an e-licence.
type LicenceField struct {
	Name  string
	Value string
}

// LicenceData is the content of an e-licence (电子证照).
type LicenceData struct {
	TypeName   string // 证照名称, the title, e.g. "食品经营许可证"
	Issuer     string // 颁发机构, printed on the seal and under it
	Identifier string // 证照标识; also written into the PDF's Subject
	Number     string // 证照编号
	Face       []LicenceField
	ValidFrom  time.Time
	ValidTo    time.Time // zero: 长期
	IssueDate  time.Time // 颁证日期; also the PDF creation date
	VerifyURL  string    // encoded in the QR code
	Previous   string    // 关联证照标识 of the version this one replaces
}

// Licence renders an e-licence: the face items in a table, the validity,
// the issuer's round seal drawn in red, and a QR code that opens the public
// verification page. The identifier is also the PDF's Subject, so a file
// names the registry entry it claims to be.
func (r *Renderer) Licence(d LicenceData) ([]byte, error) {
	if d.Identifier == "" || d.TypeName == "" || d.Issuer == "" {
		return nil, errors.New("document: a licence needs a type, an identifier and an issuer")
	}
	h := header{center: d.Issuer, title: d.TypeName, number: "证照编号：" + d.Number, date: d.IssueDate,
		qr: d.VerifyURL, qrText: "扫码核验真伪"}
	return r.render(h, func(p *page) error {
		p.pdf.SetSubject(d.Identifier, false)
		p.pdf.SetKeywords("e-licence "+d.Identifier, false)
		p.table(licenceColumns, licenceRows(d), false)
		p.pdf.Ln(3)
		p.write("证照标识："+d.Identifier, smallPt, 5, 0, "L")
		if d.Previous != "" {
			p.write("关联证照标识（前一版本）："+d.Previous, smallPt, 5, 0, "L")
		}
		p.write("本证照为电子证照，与纸质证照具有同等法律效力。可扫描二维码或访问 "+d.VerifyURL+" 核验真伪。", smallPt, 5, 0, "L")
		p.stamp(d.Issuer, d.IssueDate)
		return nil
	})
}

var licenceColumns = []column{{"", 0.26, "L"}, {"", 0.74, "L"}}

func licenceRows(d LicenceData) [][]string {
	rows := make([][]string, 0, len(d.Face)+2)
	for _, f := range d.Face {
		rows = append(rows, []string{f.Name, f.Value})
	}
	valid := "长期"
	if !d.ValidTo.IsZero() {
		valid = dateCN(d.ValidFrom) + " 至 " + dateCN(d.ValidTo)
	}
	rows = append(rows, []string{"有效期限", valid}, []string{"颁证日期", dateCN(d.IssueDate)})
	return rows
}

// Seal geometry, mm: a 42 mm round seal like a department's official seal.
const (
	stampR     = 21.0
	stampStar  = 7.0
	stampTextR = 16.0
	stampPt    = 13.0
)

// stamp prints the issuer and the date at the lower right and draws the
// issuer's round seal over them: a
// red ring, the issuer's name along the upper arc, a five-pointed star and
// the seal's purpose under it. It is drawn with PDF vector primitives, so no
// image file is needed and it stays sharp at any zoom.
func (p *page) stamp(issuer string, date time.Time) {
	p.ensure(2*stampR + 12)
	p.pdf.Ln(8)
	x, w, y := margin+p.usable()*0.45, p.usable()*0.55, p.pdf.GetY()
	p.draw(issuer, bodyPt, x, y, w, lineH, "C")
	p.draw(dateCN(date), bodyPt, x, y+26, w, lineH, "C")
	cx, cy := x+w/2, y+lineH/2+6
	p.pdf.SetAlpha(0.85, "Multiply")
	p.pdf.SetDrawColor(red[0], red[1], red[2])
	p.pdf.SetFillColor(red[0], red[1], red[2])
	p.pdf.SetTextColor(red[0], red[1], red[2])
	p.pdf.SetLineWidth(1.2)
	p.pdf.Circle(cx, cy, stampR, "D")
	p.pdf.Polygon(starPoints(cx, cy, stampStar), "F")
	p.arcText(p.r.clean(issuer), cx, cy)
	p.draw("电子证照专用章", 8, cx-stampR, cy+stampStar+1, 2*stampR, 5, "C")
	p.pdf.SetAlpha(1, "Normal")
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.SetDrawColor(0, 0, 0)
	p.pdf.SetFillColor(255, 255, 255)
	p.pdf.SetLineWidth(0.2)
	p.pdf.SetY(y + 26 + lineH)
}

// starPoints is a five-pointed star of outer radius r around (cx, cy),
// pointing up.
func starPoints(cx, cy, r float64) []fpdf.PointType {
	pts := make([]fpdf.PointType, 0, 10)
	for i := 0; i < 10; i++ {
		rr := r
		if i%2 == 1 {
			rr = r * 0.382
		}
		a := math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, fpdf.PointType{X: cx + rr*math.Cos(a), Y: cy - rr*math.Sin(a)})
	}
	return pts
}

// arcText sets s along the upper arc of the seal, each character upright
// towards the rim, spread over up to 240 degrees.
func (p *page) arcText(s string, cx, cy float64) {
	rs := []rune(s)
	if len(rs) == 0 {
		return
	}
	size := stampPt
	if len(rs) > 14 {
		size = stampPt * 14 / float64(len(rs))
	}
	span := math.Min(220, float64(len(rs))*20)
	step := 0.0
	if len(rs) > 1 {
		step = span / float64(len(rs)-1)
	}
	for i, c := range rs {
		deg := 90 + span/2 - float64(i)*step
		a := deg * math.Pi / 180
		x, y := cx+stampTextR*math.Cos(a), cy-stampTextR*math.Sin(a)
		p.pdf.TransformBegin()
		p.pdf.TransformRotate(deg-90, x, y)
		w := p.width1(c, size)
		p.setFont(c, size)
		ch := string(c)
		if p.r.latin(c) {
			ch = p.cp1252(ch)
		}
		p.pdf.Text(x-w/2, y+0.35*size*ptToMM, ch)
		p.pdf.TransformEnd()
	}
}
