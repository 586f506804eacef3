package uploads

import (
	"fmt"
	"net/http"
	"strings"
)

// Headers returns the response headers for serving b as a download: its
// stored media type, no content sniffing, always an attachment, and a
// sandbox policy so that nothing uploaded runs as active content even if a
// browser is talked into rendering it.
func Headers(b Blob) http.Header {
	h := http.Header{}
	h.Set("Content-Type", b.MediaType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		asciiName(b.Name), encodeRFC5987(b.Name)))
	return h
}

// encodeRFC5987 percent-encodes every byte that is not an attr-char.
func encodeRFC5987(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			sb.WriteByte(c)
			continue
		}
		fmt.Fprintf(&sb, "%%%02X", c)
	}
	return sb.String()
}

func isAttrChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// asciiName is the fallback filename for clients without RFC 5987: non-ASCII
// runes, quotes and backslashes become "_".
func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}
