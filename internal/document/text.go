package document

import (
	"strings"
	"unicode"
)

// Text is laid out here rather than with fpdf's MultiCell or SplitText, for
// two reasons. When those break a line between two Chinese characters they
// treat the character at the break like a space and drop it ("按照容缺受理"
// printed as "按照" / "缺受理"); legal text cannot lose characters. And the
// CJK font may lack Latin letters and digits (DroidSansFallback has none),
// so each rune is drawn in the CJK font when it has the glyph and otherwise
// in the built-in Helvetica.

const (
	latinFamily = "Helvetica"
	cellMargin  = 1.0 // gap between a cell's edge and its text, mm
	ptToMM      = 25.4 / 72
)

// cp1252Extra are the runes of Windows-1252 outside Latin-1, which
// Helvetica can also draw.
const cp1252Extra = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"

// latin reports whether r is drawn in Helvetica rather than the CJK font.
func (r *Renderer) latin(c rune) bool {
	if c < 0x80 {
		return true
	}
	if r.cover.has(c) {
		return false
	}
	return c >= 0xA0 && c <= 0xFF || strings.ContainsRune(cp1252Extra, c)
}

// clean makes user text drawable: control characters other than a newline
// are dropped, and runes neither font can draw (emoji, CJK Extension B,
// which fpdf cannot index at all) become "□", as printers mark a missing
// character.
func (r *Renderer) clean(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n':
			return c
		case c == '\t':
			return ' '
		case unicode.IsControl(c):
			return -1
		case c >= 0x80 && !r.cover.has(c) && !r.latin(c):
			return r.missing
		}
		return c
	}, s)
}

// width is the width in mm of rune c at size pt.
func (p *page) width1(c rune, size float64) float64 {
	w, ok := p.widths[c]
	if !ok {
		p.setFont(c, 1000/ptToMM) // 1000 units per em, so width comes out per pt
		s := string(c)
		if p.r.latin(c) {
			s = p.cp1252(s) // measured as drawn: one byte, not its UTF-8 sequence
		}
		w = p.pdf.GetStringWidth(s) / 1000
		p.widths[c] = w
	}
	return w * size * ptToMM
}

func (p *page) setFont(c rune, size float64) {
	if p.r.latin(c) {
		p.pdf.SetFont(latinFamily, "", size)
		return
	}
	p.pdf.SetFont(fontFamily, "", size)
}

// write prints s wrapped to width w (0: up to the right margin), starting
// at the current x, one line of height lh per wrapped line; lines that do
// not fit go to the next page.
func (p *page) write(s string, size, lh, w float64, align string) {
	x := p.pdf.GetX()
	if w == 0 {
		w = p.usable() + margin - x
	}
	for _, line := range p.wrap(s, size, w) {
		p.ensure(lh)
		y := p.pdf.GetY()
		p.draw(line, size, x, y, w, lh, align)
		p.pdf.SetXY(x, y+lh)
	}
	p.pdf.SetX(margin)
}

// draw prints one line inside the box (x, y, w, lh), switching fonts per run.
func (p *page) draw(line string, size, x, y, w, lh float64, align string) {
	rs := []rune(line)
	total := 0.0
	for _, c := range rs {
		total += p.width1(c, size)
	}
	switch align {
	case "C":
		x += (w - total) / 2
	case "R":
		x += w - cellMargin - total
	default:
		x += cellMargin
	}
	base := y + 0.5*lh + 0.3*size*ptToMM
	for len(rs) > 0 {
		n := 1
		for n < len(rs) && p.r.latin(rs[n]) == p.r.latin(rs[0]) {
			n++
		}
		run := string(rs[:n])
		p.setFont(rs[0], size)
		if p.r.latin(rs[0]) {
			p.pdf.Text(x, base, p.cp1252(run))
		} else {
			p.pdf.Text(x, base, run)
		}
		for _, c := range rs[:n] {
			x += p.width1(c, size)
		}
		rs = rs[n:]
	}
}

// wrap splits s into lines that fit a cell of width w at size pt.
// Explicit newlines are kept.
func (p *page) wrap(s string, size, w float64) []string {
	var lines []string
	for _, para := range strings.Split(p.r.clean(s), "\n") {
		lines = append(lines, p.wrapLine([]rune(para), size, w-2*cellMargin)...)
	}
	return lines
}

func (p *page) wrapLine(rs []rune, size, w float64) []string {
	lines := []string{}
	for len(rs) > 0 {
		n := p.fit(rs, size, w)
		if n < len(rs) {
			n = breakAt(rs, n)
		}
		lines = append(lines, strings.TrimRight(string(rs[:n]), " "))
		rs = rs[n:]
		for len(rs) > 0 && rs[0] == ' ' {
			rs = rs[1:]
		}
	}
	if len(lines) == 0 {
		lines = append(lines, "")
	}
	return lines
}

// fit returns how many leading runes of rs fit in width w; at least one.
func (p *page) fit(rs []rune, size, w float64) int {
	total := 0.0
	for i, c := range rs {
		total += p.width1(c, size)
		if total > w {
			return max(i, 1)
		}
	}
	return len(rs)
}

// breakAt moves a line break at n earlier so that no line starts with
// closing punctuation, ends with opening punctuation, or splits a Latin
// word, number or URL. If no better break exists it keeps n.
func breakAt(rs []rune, n int) int {
	k := n
	for k > 0 && (noLineStart(rs[k]) || noLineEnd(rs[k-1])) {
		k--
	}
	if k > 0 && isWordRune(rs[k]) && isWordRune(rs[k-1]) {
		j := k
		for j > 0 && isWordRune(rs[j-1]) {
			j--
		}
		k = j
	}
	if k == 0 {
		return n
	}
	return k
}

func noLineStart(r rune) bool {
	return strings.ContainsRune("，。、；：？！）》」』】〕”’…—,.;:?!)]}%", r)
}

func noLineEnd(r rune) bool {
	return strings.ContainsRune("（《「『【〔“‘([{", r)
}

// isWordRune reports whether r belongs to a run of Latin text (a word, a
// number, a URL) that should not be split across lines.
func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-._~:/?#[]@!$&'()*+,;=%", r))
}
