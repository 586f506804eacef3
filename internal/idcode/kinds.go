package idcode

import "time"

// ByName maps the public name of each kind of code (as used in
// /api/v1/validate/{kind} and in forms) to its validator.
var ByName = map[string]func(code string, now time.Time) error{
	"uscc":      func(c string, _ time.Time) error { _, err := ValidateUSCC(c); return err },
	"idcard":    func(c string, now time.Time) error { _, err := ValidateIDCard(c, now); return err },
	"orgcode":   func(c string, _ time.Time) error { return ValidateOrgCode(c) },
	"licenceid": func(c string, _ time.Time) error { _, err := ValidateLicenceID(c); return err },
}
