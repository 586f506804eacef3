package idcode

import "unicode/utf8"

// orgWeights are the GB 11714 weights of the eight body characters.
var orgWeights = []int{3, 7, 9, 10, 5, 8, 4, 2}

// ValidateOrgCode checks an organisation code (组织机构代码, GB 11714):
// eight digits or letters and a check character, written "XXXXXXXX-X" or
// without the hyphen.
func ValidateOrgCode(s string) error {
	s = normalize(s)
	if utf8.RuneCountInString(s) == 10 {
		if s[8] != '-' {
			return &Error{KindOrgCode, ReasonFormat}
		}
		s = s[:8] + s[9:]
	}
	if err := checkShape(KindOrgCode, s, 9, base36); err != nil {
		return err
	}
	if !inAlphabet(s[8:], digits+"X") {
		return &Error{KindOrgCode, ReasonCharset}
	}
	if c, _ := OrgCodeCheck(s[:8]); c != s[8] {
		return &Error{KindOrgCode, ReasonChecksum}
	}
	return nil
}

// OrgCodeCheck returns the check character of an organisation code's first
// eight characters: c = 11 − (Σ mod 11), with 10 written 'X' and 11 '0'.
func OrgCodeCheck(first8 string) (byte, error) {
	first8 = normalize(first8)
	if err := checkShape(KindOrgCode, first8, 8, base36); err != nil {
		return 0, err
	}
	c := 11 - weightedSum(first8, base36, orgWeights)%11
	switch c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	}
	return digits[c], nil
}
