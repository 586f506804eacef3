// Package document renders the PDF documents a service center hands to
// applicants: the acceptance receipt (受理通知书), the one-time notice of
// missing materials (一次性告知书), the refusal to accept (不予受理通知书) and
// the approval or refusal decision (准予/不予行政许可决定书).
//
// Documents are A4, laid out with fpdf and a TrueType CJK font that is read
// from disk when the Renderer is built; no font ships with the repository.
// Output is deterministic: the same data gives the same bytes.
package document

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-pdf/fpdf"
)

// DebianFontPackage is the Debian package that provides the default font.
const DebianFontPackage = "fonts-droid-fallback"

// fontPaths lists, in order of preference, plain TrueType CJK fonts found on
// Debian. TTC collections and CFF-based OpenType (Noto CJK) are left out on
// purpose: fpdf cannot embed them.
var fontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
}

// ErrNoFont is returned by FindFont when no usable font is installed.
var ErrNoFont = errors.New("document: no CJK TrueType font found")

// FindFont returns the path of the first installed font that New can use.
// The caller handles any override (such as the ONEVISIT_FONT variable)
// before falling back to FindFont.
func FindFont() (string, error) {
	return findFirst(fontPaths)
}

func findFirst(paths []string) (string, error) {
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w (looked for %s); install the Debian package %s or point ONEVISIT_FONT at a .ttf file",
		ErrNoFont, strings.Join(paths, ", "), DebianFontPackage)
}

// Renderer turns document data into PDF bytes. It is safe for concurrent
// use: each call builds its own PDF and only reads the shared font bytes.
type Renderer struct {
	font    []byte
	cover   *coverage // runes the font has glyphs for
	missing rune      // printed for a rune no font can draw
}

// New loads the TrueType font at fontPath and checks that fpdf accepts it.
func New(fontPath string) (*Renderer, error) {
	b, err := os.ReadFile(fontPath)
	if err != nil {
		return nil, fmt.Errorf("document: read font: %w", err)
	}
	if err := checkTrueType(b); err != nil {
		return nil, fmt.Errorf("document: %s: %w", fontPath, err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", b)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("document: load font %s: %w", fontPath, err)
	}
	cover, err := readCoverage(b)
	if err != nil {
		return nil, fmt.Errorf("document: %s: %w", fontPath, err)
	}
	if !cover.has('受') {
		return nil, fmt.Errorf("document: %s has no Chinese characters", fontPath)
	}
	r := &Renderer{font: b, cover: cover, missing: '?'}
	if cover.has('□') {
		r.missing = '□'
	}
	return r, nil
}

// checkTrueType rejects font containers fpdf cannot embed, with a message
// that says why instead of fpdf's generic one.
func checkTrueType(b []byte) error {
	if len(b) < 4 {
		return errors.New("not a font file")
	}
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "true":
		return nil
	case "ttcf":
		return errors.New("TrueType collections (.ttc) are not supported; use a single .ttf")
	case "OTTO":
		return errors.New("CFF-based OpenType fonts are not supported; use a TrueType (.ttf) font")
	}
	return errors.New("not a TrueType font")
}

// render builds a page set with the shared layout, lets body fill it and
// returns the PDF bytes.
func (r *Renderer) render(h header, body func(*page) error) ([]byte, error) {
	p, err := r.newPage(h)
	if err == nil {
		err = body(p)
	}
	if err != nil {
		return nil, fmt.Errorf("document: render %s: %w", h.title, err)
	}
	var buf bytes.Buffer
	if err := p.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("document: render %s: %w", h.title, err)
	}
	return buf.Bytes(), nil
}
