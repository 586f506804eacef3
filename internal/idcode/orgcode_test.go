package idcode

import (
	"math/rand/v2"
	"testing"
)

func TestValidateOrgCodeAccepts(t *testing.T) {
	tests := map[string]string{
		"the USCC example 1, nine characters":      "M000100Y4",
		"the USCC example 2, nine characters":      "MA62K0260",
		"with the hyphen before the check":         "MA62K026-0",
		"lower case":                               "ma62k026-0",
		"surrounding spaces":                       " MA62K026-0 ",
		"check value 10 is X":                      withOrgCheck("00000006"),
		"check value 11 is 0":                      withOrgCheck("00000000"),
		"a numeric code with a hyphen":             "00000001-9",
		"letters weigh 10 to 35 in the body (A-Z)": withOrgCheck("ZZZZZZZZ"),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if err := ValidateOrgCode(in); err != nil {
				t.Errorf("ValidateOrgCode(%q) = %v", in, err)
			}
		})
	}
}

func TestOrgCheckValues(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"M000100Y", '4'}, // DOMAIN.md §3.1
		{"MA62K026", '0'}, // DOMAIN.md §3.1
		{"00000000", '0'}, // Σ 0 → 11 → '0'
		{"00000006", 'X'}, // Σ 12, 12 mod 11 = 1 → 10 → 'X'
		{"00000001", '9'}, // Σ 2 → 11 − 2 = 9
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			if got, err := OrgCodeCheck(tt.body); err != nil || got != tt.want {
				t.Errorf("OrgCodeCheck(%s) = %q, %v; want %q", tt.body, got, err, tt.want)
			}
		})
	}
}

func TestValidateOrgCodeRejects(t *testing.T) {
	tests := []struct {
		name, in string
		reason   Reason
	}{
		{"empty", "", ReasonEmpty},
		{"eight characters", "MA62K026", ReasonLength},
		{"eleven characters", "MA62K026-00", ReasonLength},
		{"ten characters without the hyphen", "MA62K02600", ReasonFormat},
		{"hyphen in the wrong place", "MA62K0-260", ReasonFormat},
		{"punctuation in the body", "MA62K.26-0", ReasonCharset},
		{"a letter other than X as check", "MA62K026-A", ReasonCharset},
		{"a wrong check digit", "MA62K026-1", ReasonChecksum},
		{"an inner space", "MA62 K026-0", ReasonLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantReason(t, ValidateOrgCode(tt.in), KindOrgCode, tt.reason)
		})
	}
}

func withOrgCheck(body string) string {
	c, err := OrgCodeCheck(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}

func TestOrgCodeOnRandomCodes(t *testing.T) {
	r := newRand(t)
	for range 2000 {
		code := withOrgCheck(randomFrom(r, base36, 8))
		if err := ValidateOrgCode(code); err != nil {
			t.Fatalf("generated %s: %v", code, err)
		}
		if err := ValidateOrgCode(code[:8] + "-" + code[8:]); err != nil {
			t.Fatalf("generated %s with hyphen: %v", code, err)
		}
		for _, c := range []byte("0123456789X") {
			if c != code[8] {
				wantReason(t, ValidateOrgCode(code[:8]+string(c)), KindOrgCode, ReasonChecksum)
			}
		}
	}
}

// The sum is taken mod 11, so letters 11 apart (A=10 and L=21) can be swapped
// undetected; substitutions among digits are always caught.
func TestOrgCodeDetectsDigitSubstitutions(t *testing.T) {
	r := rand.New(rand.NewPCG(11714, 1))
	for range 300 {
		code := withOrgCheck(randomFrom(r, "0123456789", 8))
		substitutions(code, "0123456789", func(pos int, mutated string) {
			if ValidateOrgCode(mutated) == nil {
				t.Fatalf("%s → %s (position %d) still validates", code, mutated, pos+1)
			}
		})
	}
}
