package document

const (
	cellPad = 1.5 // vertical padding inside a cell, mm
	cellLH  = 6.0 // line height inside a cell, mm
	tablePt = 10.0
)

// column is one column of a bordered table; width is a share of the usable
// page width (the shares of a table add up to 1).
type column struct {
	title string
	share float64
	align string
}

// table draws a bordered table. Rows that do not fit on the page move to the
// next one, where the title row is drawn again.
func (p *page) table(cols []column, rows [][]string, titles bool) {
	if titles {
		p.titleRow(cols)
	}
	for _, row := range rows {
		h := p.rowHeight(cols, row)
		_, ph := p.pdf.GetPageSize()
		if p.pdf.GetY()+h > ph-bottom {
			p.pdf.AddPage()
			if titles {
				p.titleRow(cols)
			}
		}
		p.row(cols, row, h, false)
	}
}

func (p *page) titleRow(cols []column) {
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = c.title
	}
	p.pdf.SetFillColor(240, 240, 240)
	p.row(cols, cells, p.rowHeight(cols, cells), true)
	p.pdf.SetFillColor(255, 255, 255)
}

// rowHeight is the height of the tallest cell, capped at one page so that a
// pathological cell is truncated instead of running off the paper.
func (p *page) rowHeight(cols []column, cells []string) float64 {
	n := 1
	for i := range cells {
		if k := len(p.cellLines(cells[i], spanWidth(p, cols, cells, i))); k > n {
			n = k
		}
	}
	return float64(n)*cellLH + 2*cellPad
}

// spanWidth is the width of cell i; a row shorter than the table lets its
// last cell span the remaining columns.
func spanWidth(p *page, cols []column, cells []string, i int) float64 {
	share := cols[i].share
	if i == len(cells)-1 {
		for _, c := range cols[i+1:] {
			share += c.share
		}
	}
	return share * p.usable()
}

func (p *page) cellLines(s string, w float64) []string {
	lines := p.wrap(s, tablePt, w)
	if max := p.maxCellLines(); len(lines) > max {
		lines = append(lines[:max-1], "…")
	}
	return lines
}

func (p *page) maxCellLines() int {
	_, ph := p.pdf.GetPageSize()
	return int((ph-margin-bottom-2*cellPad)/cellLH) - 2
}

// row draws one row of cells of height h at the current position.
func (p *page) row(cols []column, cells []string, h float64, fill bool) {
	x, y := margin, p.pdf.GetY()
	style := "D"
	if fill {
		style = "FD"
	}
	auto, _ := p.pdf.GetAutoPageBreak()
	p.pdf.SetAutoPageBreak(false, bottom)
	for i, s := range cells {
		w := spanWidth(p, cols, cells, i)
		p.pdf.Rect(x, y, w, h, style)
		for k, line := range p.cellLines(s, w) {
			p.draw(line, tablePt, x, y+cellPad+float64(k)*cellLH, w, cellLH, cols[i].align)
		}
		x += w
	}
	p.pdf.SetAutoPageBreak(auto, bottom)
	p.pdf.SetXY(margin, y+h)
}
