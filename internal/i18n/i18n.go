// Package i18n is onevisit's message catalog: every string the UI or the
// API shows comes from here, in Chinese (zh-CN, the default) or English.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"onevisit/internal/apperr"
	"onevisit/internal/idcode"
)

// Lang is a supported language tag.
type Lang string

// The supported languages; Chinese first.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages in menu order.
var Langs = []Lang{ZH, EN}

//go:embed messages/*.json
var files embed.FS

// Catalog maps message keys to text per language.
type Catalog struct{ msgs map[Lang]map[string]string }

// Load reads the embedded catalogs and checks that every language has every
// key, so a missing translation fails at start-up, not in front of a user.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[Lang]map[string]string{}}
	for _, l := range Langs {
		b, err := files.ReadFile("messages/" + string(l) + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("messages/%s.json: %w", l, err)
		}
		c.msgs[l] = m
	}
	for k := range c.msgs[ZH] {
		if _, ok := c.msgs[EN][k]; !ok {
			return nil, fmt.Errorf("message %q has no English text", k)
		}
	}
	for k := range c.msgs[EN] {
		if _, ok := c.msgs[ZH][k]; !ok {
			return nil, fmt.Errorf("message %q has no Chinese text", k)
		}
	}
	return c, nil
}

// MustLoad is Load for programs and tests where a broken catalog is a bug.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Has reports whether key is in the catalog.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[ZH][key]; return ok }

// T returns the text of key in lang, formatted with args (fmt verbs). An
// unknown key is returned as it is, so a literal message passes through.
func (c *Catalog) T(lang Lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[ZH]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Parse returns the supported language closest to a tag such as "en-US"
// or an Accept-Language header; Chinese when nothing matches.
func Parse(s string) Lang {
	for _, part := range strings.Split(s, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return ZH
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return ZH
}

// Localized is an error as a user reads it.
type Localized struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error localises err: its kind's code, its message and its field messages.
// Internal errors get a generic message; their text is never shown.
func (c *Catalog) Error(lang Lang, err error) Localized {
	e := apperr.As(err)
	out := Localized{Code: e.Kind.Code()}
	if e.Kind == apperr.Internal {
		out.Message = c.T(lang, "err.internal")
		return out
	}
	out.Message = c.T(lang, e.Key, c.args(lang, e.Args)...)
	if len(e.Fields) > 0 {
		out.Fields = map[string]string{}
		for f, key := range e.Fields {
			out.Fields[f] = c.field(lang, key)
		}
	}
	return out
}

// field localises a field message key; idcode reasons come from idcode.
func (c *Catalog) field(lang Lang, key string) string {
	if r, ok := strings.CutPrefix(key, "idcode."); ok {
		return idcode.Reason(r).Message(string(lang))
	}
	return c.T(lang, key)
}

// args formats time arguments for messages in Shanghai time.
func (c *Catalog) args(lang Lang, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			a = t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
		}
		out[i] = a
	}
	return out
}
