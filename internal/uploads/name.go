package uploads

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxNameRunes = 200

var extensions = map[string]string{PDF: ".pdf", JPEG: ".jpg", PNG: ".png", OFD: ".ofd"}

// CleanName reduces a client-supplied file name to a safe display name: the
// last path element (either slash), without control or format characters,
// trimmed, at most 200 runes with the extension kept. An empty result
// becomes "file" plus the extension of media.
func CleanName(name, media string) string {
	name = strings.ToValidUTF8(name, "")
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" || name == "/" {
		return "file" + extensions[media]
	}
	return truncate(name)
}

// truncate cuts name to maxNameRunes, keeping a short extension.
func truncate(name string) string {
	if utf8.RuneCountInString(name) <= maxNameRunes {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return string(stem[:maxNameRunes-utf8.RuneCountInString(ext)]) + ext
}
