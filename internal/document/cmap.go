package document

import (
	"encoding/binary"
	"errors"
)

// coverage records which Basic Multilingual Plane runes a font has glyphs for.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(r%64)) != 0
}

func (c *coverage) add(r rune) { c[r/64] |= 1 << (r % 64) }

// readCoverage reads the Unicode BMP cmap (platform 3 encoding 1, format 4)
// of a TrueType font. fpdf does not say which runes a font lacks, and
// DroidSansFallback has no Latin letters or digits at all.
func readCoverage(ttf []byte) (*coverage, error) {
	cmap, ok := table(ttf, "cmap")
	if !ok || len(cmap) < 4 {
		return nil, errors.New("font has no cmap table")
	}
	n := int(u16(cmap, 2))
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		pid, eid, off := u16(cmap, rec), u16(cmap, rec+2), int(u32(cmap, rec+4))
		if (pid == 3 && eid == 1 || pid == 0) && off+2 <= len(cmap) && u16(cmap, off) == 4 {
			return format4(cmap[off:])
		}
	}
	return nil, errors.New("font has no Unicode BMP cmap (format 4)")
}

func table(ttf []byte, tag string) ([]byte, bool) {
	if len(ttf) < 12 {
		return nil, false
	}
	for i := 0; i < int(u16(ttf, 4)); i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, false
		}
		if string(ttf[rec:rec+4]) == tag {
			off, size := int(u32(ttf, rec+8)), int(u32(ttf, rec+12))
			if off+size > len(ttf) {
				return nil, false
			}
			return ttf[off : off+size], true
		}
	}
	return nil, false
}

func format4(t []byte) (*coverage, error) {
	if len(t) < 14 {
		return nil, errors.New("short cmap subtable")
	}
	segs := int(u16(t, 6)) / 2
	ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
	if ranges+2*segs > len(t) {
		return nil, errors.New("short cmap subtable")
	}
	var c coverage
	for s := 0; s < segs; s++ {
		start, end := int(u16(t, starts+2*s)), int(u16(t, ends+2*s))
		delta, ro := int(u16(t, deltas+2*s)), int(u16(t, ranges+2*s))
		for r := start; r <= end && r < 0xFFFF; r++ {
			g := (r + delta) & 0xFFFF
			if ro != 0 {
				at := ranges + 2*s + ro + 2*(r-start)
				if at+2 > len(t) {
					break
				}
				g = int(u16(t, at))
			}
			if g != 0 {
				c.add(rune(r))
			}
		}
	}
	return &c, nil
}

func u16(b []byte, i int) uint16 { return binary.BigEndian.Uint16(b[i:]) }
func u32(b []byte, i int) uint32 { return binary.BigEndian.Uint32(b[i:]) }
