package document

import "strings"

// Applicant is the person or organisation a document is addressed to.
type Applicant struct {
	Name     string // 申请人姓名或单位名称
	IDType   string // 证件类型, e.g. "居民身份证", "统一社会信用代码"
	IDNumber string // 证件号码; documents print it masked
}

// maskedID keeps the first six and last four characters of an identity
// number (the region code and the check digits) and hides the rest; short
// numbers keep only their last quarter.
func maskedID(id string) string {
	r := []rune(strings.TrimSpace(id))
	n := len(r)
	head, tail := 6, 4
	if n < 14 {
		head, tail = 0, n/4
	}
	if n == 0 {
		return ""
	}
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}

// idLine is "居民身份证 330106********123X", or just the masked number.
func (a Applicant) idLine() string {
	return strings.TrimSpace(a.IDType + " " + maskedID(a.IDNumber))
}

// salutation opens the letter: "张三：".
func (a Applicant) salutation() string {
	return a.Name + "："
}
