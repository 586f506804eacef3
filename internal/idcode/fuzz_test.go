package idcode

import (
	"errors"
	"testing"
	"time"
)

// otherCheck returns a character of alphabet different from c.
func otherCheck(c byte, alphabet string) byte {
	if alphabet[0] != c {
		return alphabet[0]
	}
	return alphabet[1]
}

// mustBeError fails unless err is nil or an *Error with a known reason.
func mustBeError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Reason.Message("en") == unknownReason {
		t.Fatalf("unexpected error %#v", err)
	}
}

func FuzzValidateUSCC(f *testing.F) {
	for _, s := range []string{"91512081MA62K0260E", "91350100M000100Y4Z", "91512081ma62k0260e", " 91512081MA62K0260E ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ValidateUSCC(s)
		mustBeError(t, err)
		if err != nil {
			return
		}
		again, err := ValidateUSCC(u.Code)
		if err != nil || again != u {
			t.Fatalf("normalised %q → %+v, %v; first pass %+v", u.Code, again, err, u)
		}
		bad := u.Code[:17] + string(otherCheck(u.Code[17], usccAlphabet))
		if _, err := ValidateUSCC(bad); ReasonOf(err) != ReasonChecksum {
			t.Fatalf("%s with its check changed: %v", bad, err)
		}
	})
}

func FuzzValidateOrgCode(f *testing.F) {
	for _, s := range []string{"MA62K026-0", "M000100Y4", "00000006X", "ma62k026-0", "MA62K026-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateOrgCode(s)
		mustBeError(t, err)
		if err != nil {
			return
		}
		code := normalize(s)
		if err := ValidateOrgCode(code); err != nil {
			t.Fatalf("normalised %q: %v", code, err)
		}
		last := len(code) - 1
		bad := code[:last] + string(otherCheck(code[last], "0123456789X"))
		if err := ValidateOrgCode(bad); ReasonOf(err) != ReasonChecksum {
			t.Fatalf("%s with its check changed: %v", bad, err)
		}
	})
}

func FuzzValidateIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "53010219200508011X", "370101190102039973",
		"11010519491231002x", "110105491231002", "110105194912310021", ""} {
		f.Add(s)
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ValidateIDCard(s, now)
		mustBeError(t, err)
		if err != nil {
			return
		}
		again, err := ValidateIDCard(id.Number, now)
		if err != nil || again != id {
			t.Fatalf("normalised %q → %+v, %v; first pass %+v", id.Number, again, err, id)
		}
		bad := id.Number[:17] + string(otherCheck(id.Number[17], "0123456789X"))
		if _, err := ValidateIDCard(bad, now); ReasonOf(err) != ReasonChecksum {
			t.Fatalf("%s with its check changed: %v", bad, err)
		}
		if m := id.Mask(); len(m) != 18 || m[:6] != id.Number[:6] || m[14:] != id.Number[14:] {
			t.Fatalf("Mask() = %q", m)
		}
	})
}

func FuzzValidateLicenceID(f *testing.F) {
	for _, s := range realLicenceIDs {
		f.Add(s)
	}
	f.Add("1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.8")
	f.Add("1.2.156.3005.2.T.1.1.001.")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		lid, err := ValidateLicenceID(s)
		mustBeError(t, err)
		if err != nil {
			return
		}
		again, err := ValidateLicenceID(lid.Identifier)
		if err != nil || again != lid {
			t.Fatalf("normalised %q → %+v, %v; first pass %+v", lid.Identifier, again, err, lid)
		}
		built, err := NewLicenceID(lid.Type, lid.Issuer, lid.Serial, lid.Version)
		if err != nil || built != lid.Identifier {
			t.Fatalf("NewLicenceID rebuilt %q, %v; want %q", built, err, lid.Identifier)
		}
		last := len(lid.Identifier) - 1
		bad := lid.Identifier[:last] + string(otherCheck(lid.Check, base36))
		if _, err := ValidateLicenceID(bad); ReasonOf(err) != ReasonChecksum {
			t.Fatalf("%s with its check changed: %v", bad, err)
		}
	})
}
