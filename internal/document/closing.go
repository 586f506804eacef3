package document

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

const (
	qrSize   = 30.0 // printed QR side, mm: about 5 px a module at 150 dpi
	qrModule = -8   // go-qrcode: a negative size is pixels per module, so edges stay sharp
	sealH    = 34.0 // height of the seal block, mm
)

// qr draws a QR code encoding url with its top-right corner at (right, y)
// and a caption under it, and returns the y below the caption. It sits on
// page one so that whoever holds the first sheet can scan it.
func (p *page) qr(url, caption string, right, y float64) (float64, error) {
	code, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return 0, fmt.Errorf("QR code: %w", err)
	}
	png, err := code.PNG(qrModule)
	if err != nil {
		return 0, fmt.Errorf("QR code: %w", err)
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	p.pdf.RegisterImageOptionsReader("qr", opt, bytes.NewReader(png))
	x := right - qrSize
	p.pdf.ImageOptions("qr", x, y, qrSize, qrSize, false, opt, 0, url)
	p.draw(p.r.clean(caption), smallPt, x-5, y+qrSize, qrSize+10, 4, "C")
	return y + qrSize + 5, nil
}

// seal prints the issuer, the seal caption and the date at the lower right,
// where the seal is stamped.
func (p *page) seal(issuer, caption string, date time.Time) {
	p.ensure(sealH)
	p.pdf.Ln(6)
	y := p.pdf.GetY()
	x, w := margin+p.usable()*0.45, p.usable()*0.55
	for i, s := range []string{issuer, caption, dateCN(date)} {
		p.pdf.SetXY(x, y+float64(i)*lineH*1.4)
		p.write(s, bodyPt, lineH, w, "C")
	}
}
