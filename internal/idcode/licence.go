package idcode

import (
	"strings"
	"unicode/utf8"
)

// licenceRoot is the root code every e-licence identifier starts with.
const licenceRoot = "1.2.156.3005.2."

// maxSerial is the longest serial number (流水号) accepted.
const maxSerial = 32

// LicenceID is a valid e-licence identifier (电子证照标识) and its parts:
// 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>.
type LicenceID struct {
	Identifier string // the whole identifier, upper case
	Type       string // 证照类型代码, usually a ministry's USCC + 3 digits
	Issuer     string // 证照颁发机构代码, usually a USCC but 340100 is seen
	Serial     string // 流水号, 1–32 characters
	Version    string // 版本号, three digits
	Check      byte   // 校验位, ISO/IEC 7064 MOD 37,36
}

// ValidateLicenceID checks an e-licence identifier: the root code, five
// dot-separated parts of 0-9 and A-Z, a serial of at most 32 characters, a
// three-digit version and the MOD 37,36 check character over
// type+issuer+serial+version.
func ValidateLicenceID(s string) (LicenceID, error) {
	s = normalize(s)
	if s == "" {
		return LicenceID{}, &Error{KindLicenceID, ReasonEmpty}
	}
	rest, ok := strings.CutPrefix(s, licenceRoot)
	parts := strings.Split(rest, ".")
	if !ok || len(parts) != 5 || len(parts[4]) == 0 {
		return LicenceID{}, &Error{KindLicenceID, ReasonFormat}
	}
	if err := checkLicenceParts(parts[0], parts[1], parts[2], parts[3]); err != nil {
		return LicenceID{}, err
	}
	if err := checkLicenceCheck(parts); err != nil {
		return LicenceID{}, err
	}
	return LicenceID{Identifier: s, Type: parts[0], Issuer: parts[1], Serial: parts[2],
		Version: parts[3], Check: parts[4][0]}, nil
}

// checkLicenceCheck checks the last part against the other four.
func checkLicenceCheck(parts []string) *Error {
	check := parts[4]
	switch {
	case !inAlphabet(check, base36):
		return &Error{KindLicenceID, ReasonCharset}
	case len(check) != 1:
		return &Error{KindLicenceID, ReasonFormat}
	}
	if c, _ := LicenceCheck(strings.Join(parts[:4], "")); c != check[0] {
		return &Error{KindLicenceID, ReasonChecksum}
	}
	return nil
}

// checkLicenceParts checks the four parts covered by the check character.
func checkLicenceParts(typ, issuer, serial, version string) *Error {
	for _, p := range []string{typ, issuer, serial, version} {
		if p == "" {
			return &Error{KindLicenceID, ReasonFormat}
		}
		if !inAlphabet(p, base36) {
			return &Error{KindLicenceID, ReasonCharset}
		}
	}
	if len(serial) > maxSerial {
		return &Error{KindLicenceID, ReasonLength}
	}
	if len(version) != 3 || !inAlphabet(version, digits) {
		return &Error{KindLicenceID, ReasonFormat}
	}
	return nil
}

// LicenceCheck returns the ISO/IEC 7064 MOD 37,36 check character of payload,
// the type, issuer, serial and version run together without dots.
func LicenceCheck(payload string) (byte, error) {
	payload = normalize(payload)
	if err := checkShape(KindLicenceID, payload, utf8.RuneCountInString(payload), base36); err != nil {
		return 0, err
	}
	p := 36
	for i := 0; i < len(payload); i++ {
		s := (p + strings.IndexByte(base36, payload[i])) % 36
		if s == 0 {
			s = 36
		}
		p = 2 * s % 37
	}
	return base36[(37-p)%36], nil
}

// NewLicenceID builds a full identifier from its parts, adding the root code
// and the check character. Letters are upper-cased.
func NewLicenceID(typ, issuer, serial, version string) (string, error) {
	parts := []string{normalize(typ), normalize(issuer), normalize(serial), normalize(version)}
	if err := checkLicenceParts(parts[0], parts[1], parts[2], parts[3]); err != nil {
		return "", err
	}
	c, _ := LicenceCheck(strings.Join(parts, ""))
	return licenceRoot + strings.Join(parts, ".") + "." + string(c), nil
}
