package idcode

// usccAlphabet holds the 31 characters of GB 32100 in value order (no I, O,
// S, V, Z).
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccDepartments are the registering-department codes (position 1).
const usccDepartments = "123456789ANY"

// usccWeights are 3^(i-1) mod 31 for positions 1–17.
var usccWeights = []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC is a valid unified social credit code (统一社会信用代码) and its parts.
type USCC struct {
	Code     string // 18 characters, upper case
	Dept     byte   // 登记管理部门代码, e.g. '9' 工商
	Category byte   // 机构类别代码, e.g. '1' 企业
	Region   string // 登记管理机关行政区划码, six digits
	OrgCode  string // 主体标识码 (组织机构代码), nine characters without hyphen
}

// ValidateUSCC checks a unified social credit code (GB 32100-2015): the
// alphabet, the department code, a numeric region, the check character and
// the check character of the embedded organisation code.
func ValidateUSCC(s string) (USCC, error) {
	s = normalize(s)
	// A check character outside the alphabet (e.g. 'Z') is a wrong check
	// character, as in the standard's own example.
	if err := checkShape(KindUSCC, s, 18, base36); err != nil {
		return USCC{}, err
	}
	if !inAlphabet(s[:17], usccAlphabet) {
		return USCC{}, &Error{KindUSCC, ReasonCharset}
	}
	if err := checkUSCCParts(s); err != nil {
		return USCC{}, err
	}
	if c, _ := USCCCheck(s[:17]); c != s[17] {
		return USCC{}, &Error{KindUSCC, ReasonChecksum}
	}
	if ValidateOrgCode(s[8:17]) != nil {
		return USCC{}, &Error{KindUSCC, ReasonOrgCode}
	}
	return USCC{Code: s, Dept: s[0], Category: s[1], Region: s[2:8], OrgCode: s[8:17]}, nil
}

// checkUSCCParts checks the department code and the region. The category
// (position 2) depends on the department and is not checked.
func checkUSCCParts(s string) *Error {
	if !inAlphabet(s[:1], usccDepartments) {
		return &Error{KindUSCC, ReasonFormat}
	}
	if !inAlphabet(s[2:8], digits) {
		return &Error{KindUSCC, ReasonRegion}
	}
	return nil
}

// USCCCheck returns the check character of a code's first 17 characters:
// 31 − (Σ value·weight mod 31), with 31 written '0'.
func USCCCheck(first17 string) (byte, error) {
	first17 = normalize(first17)
	if err := checkShape(KindUSCC, first17, 17, usccAlphabet); err != nil {
		return 0, err
	}
	c := 31 - weightedSum(first17, usccAlphabet, usccWeights)%31
	return usccAlphabet[c%31], nil
}
