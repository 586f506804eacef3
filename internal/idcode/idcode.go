// Package idcode validates the identity codes the platform accepts: the
// unified social credit code (GB 32100-2015), the organisation code
// (GB 11714), the citizen identity number (GB 11643-1999) and the electronic
// licence identifier.
//
// Validators trim surrounding white space and upper-case letters; inner
// spaces are rejected. Failures are *Error values whose Reason is a stable
// machine code with messages in Chinese and English.
package idcode

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Kinds of code, as found in Error.Kind.
const (
	KindUSCC      = "uscc"
	KindOrgCode   = "orgcode"
	KindIDCard    = "idcard"
	KindLicenceID = "licence_id"
)

// Reason is a stable machine code saying why a code is invalid.
type Reason string

// The reasons a code can be invalid.
const (
	ReasonEmpty     Reason = "empty"     // nothing but white space
	ReasonLength    Reason = "length"    // wrong number of characters
	ReasonCharset   Reason = "charset"   // a character outside the code's alphabet
	ReasonChecksum  Reason = "checksum"  // the check character does not match
	ReasonBirthdate Reason = "birthdate" // not a real date, before 1900 or in the future
	ReasonRegion    Reason = "region"    // the region (行政区划) part is not valid
	ReasonFormat    Reason = "format"    // the structure is wrong (parts, separators, fixed codes)
	ReasonOrgCode   Reason = "orgcode"   // the organisation code inside a USCC has a wrong check
)

// Error is a validation failure: which kind of code, and why.
type Error struct {
	Kind   string
	Reason Reason
}

var kindNames = map[string]string{
	KindUSCC:      "unified social credit code",
	KindOrgCode:   "organisation code",
	KindIDCard:    "identity card number",
	KindLicenceID: "e-licence identifier",
}

// Error returns an English sentence such as "invalid unified social credit
// code: the check character is wrong".
func (e *Error) Error() string {
	name, ok := kindNames[e.Kind]
	if !ok {
		name = "code"
	}
	return "invalid " + name + ": " + e.Reason.Message("en")
}

// ReasonOf returns the Reason of the *Error in err's chain, or "" if there is none.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

const unknownReason = "the code is not valid"

var messages = map[Reason][2]string{ // zh-CN, en
	ReasonEmpty:     {"未填写", "the code is empty"},
	ReasonLength:    {"位数不正确", "the code has the wrong number of characters"},
	ReasonCharset:   {"含有不允许的字符", "the code contains a character that is not allowed"},
	ReasonChecksum:  {"校验码不正确", "the check character is wrong"},
	ReasonBirthdate: {"出生日期无效", "the date of birth is not valid"},
	ReasonRegion:    {"行政区划代码无效", "the region code is not valid"},
	ReasonFormat:    {"格式不正确", "the code is not in the expected format"},
	ReasonOrgCode:   {"其中的组织机构代码校验码不正确", "the check character of the embedded organisation code is wrong"},
}

// Message returns r as a short sentence in English for lang "en" (or any
// "en-…" tag) and in simplified Chinese otherwise.
func (r Reason) Message(lang string) string {
	i := 0
	if l := strings.ToLower(lang); l == "en" || strings.HasPrefix(l, "en-") {
		i = 1
	}
	m, ok := messages[r]
	if !ok {
		return [2]string{"代码无效", unknownReason}[i]
	}
	return m[i]
}

// normalize trims surrounding white space and upper-cases letters.
func normalize(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// checkShape reports the first problem among emptiness, length (in
// characters, so a stray multi-byte character is a charset error) and
// characters outside alphabet.
func checkShape(kind, s string, n int, alphabet string) *Error {
	switch {
	case s == "":
		return &Error{kind, ReasonEmpty}
	case utf8.RuneCountInString(s) != n:
		return &Error{kind, ReasonLength}
	case !inAlphabet(s, alphabet):
		return &Error{kind, ReasonCharset}
	}
	return nil
}

// inAlphabet reports whether every byte of s is in alphabet (ASCII only).
func inAlphabet(s, alphabet string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(alphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// weightedSum returns Σ value(s[i])·weights[i], where a character's value is
// its index in alphabet.
func weightedSum(s, alphabet string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += strings.IndexByte(alphabet, s[i]) * w
	}
	return sum
}

const (
	digits = "0123456789"
	base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
