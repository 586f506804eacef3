package idcode

import (
	"math/rand/v2"
	"testing"
)

func TestValidateUSCCWorkedExamples(t *testing.T) {
	got, err := ValidateUSCC("91512081MA62K0260E")
	if err != nil {
		t.Fatalf("91512081MA62K0260E: %v", err)
	}
	want := USCC{Code: "91512081MA62K0260E", Dept: '9', Category: '1', Region: "512081", OrgCode: "MA62K0260"}
	if got != want {
		t.Errorf("ValidateUSCC = %+v, want %+v", got, want)
	}
	_, err = ValidateUSCC("91350100M000100Y4Z")
	wantReason(t, err, KindUSCC, ReasonChecksum)
}

func TestValidateUSCCNormalises(t *testing.T) {
	tests := map[string]string{
		"lower case is upper-cased":         "91512081ma62k0260e",
		"surrounding spaces are trimmed":    "  91512081MA62K0260E\t\n",
		"a full-width space is trimmed too": "\u300091512081MA62K0260E",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ValidateUSCC(in)
			if err != nil || got.Code != "91512081MA62K0260E" {
				t.Errorf("ValidateUSCC(%q) = %+v, %v", in, got, err)
			}
		})
	}
}

func TestValidateUSCCRejects(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		reason Reason
	}{
		{"empty input", "", ReasonEmpty},
		{"only spaces", "   ", ReasonEmpty},
		{"17 characters", "91512081MA62K0260", ReasonLength},
		{"19 characters", "91512081MA62K0260EE", ReasonLength},
		{"an inner space", "91512081 MA62K0260E", ReasonLength},
		{"an inner space replacing a character", "91512081 A62K0260E", ReasonCharset},
		{"the letter I is not in the alphabet", "91512081IA62K0260E", ReasonCharset},
		{"the letter O is not in the alphabet", "91512081MA62K026OE", ReasonCharset},
		{"the letter Z is not in the alphabet", "Z1512081MA62K0260E", ReasonCharset},
		{"the letter S is not in the alphabet", "91512081MS62K0260E", ReasonCharset},
		{"the letter V is not in the alphabet", "91512081MA62K0V60E", ReasonCharset},
		{"a Chinese character", "9151208１MA62K0260E", ReasonCharset},
		{"department B does not exist", withUSCCCheck("B1512081MA62K0260"), ReasonFormat},
		{"department 0 does not exist", withUSCCCheck("01512081MA62K0260"), ReasonFormat},
		{"a letter in the region code", withUSCCCheck("9151208AMA62K0260"), ReasonRegion},
		{"a wrong embedded organisation code", withUSCCCheck("91512081MA62K0261"), ReasonOrgCode},
		{"a wrong check character", "91512081MA62K0260F", ReasonChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ValidateUSCC(tt.in)
			wantReason(t, err, KindUSCC, tt.reason)
		})
	}
}

// withUSCCCheck appends the right check character to a 17-character body.
func withUSCCCheck(first17 string) string {
	c, err := USCCCheck(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

// randomUSCC builds a valid code: a department, a category, a numeric region
// and an organisation code with its own check character.
func randomUSCC(r *rand.Rand) string {
	body := randomFrom(r, "123456789ANY", 1) + randomFrom(r, usccAlphabet, 1) +
		randomFrom(r, "0123456789", 6) + randomFrom(r, usccAlphabet, 8)
	oc, err := OrgCodeCheck(body[8:16])
	if err != nil {
		panic(err)
	}
	return withUSCCCheck(body + string(oc))
}

func TestUSCCCheckOnRandomCodes(t *testing.T) {
	r := newRand(t)
	for range 2000 {
		code := randomUSCC(r)
		if _, err := ValidateUSCC(code); err != nil {
			t.Fatalf("generated %s: %v", code, err)
		}
		for _, c := range []byte(usccAlphabet) {
			if c == code[17] {
				continue
			}
			_, err := ValidateUSCC(code[:17] + string(c))
			wantReason(t, err, KindUSCC, ReasonChecksum)
		}
	}
}

func TestUSCCDetectsEverySingleSubstitution(t *testing.T) {
	r := newRand(t)
	codes := []string{"91512081MA62K0260E"}
	for range 200 {
		codes = append(codes, randomUSCC(r))
	}
	for _, code := range codes {
		substitutions(code, usccAlphabet, func(pos int, mutated string) {
			if _, err := ValidateUSCC(mutated); err == nil {
				t.Fatalf("%s → %s (position %d) still validates", code, mutated, pos+1)
			}
		})
	}
}

func TestUSCCCheckRejectsBadBodies(t *testing.T) {
	tests := []struct {
		name, in string
		reason   Reason
	}{
		{"16 characters", "91512081MA62K026", ReasonLength},
		{"18 characters", "91512081MA62K0260E", ReasonLength},
		{"a letter outside the alphabet", "91512081MA62K02I0", ReasonCharset},
		{"empty", "", ReasonEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := USCCCheck(tt.in)
			wantReason(t, err, KindUSCC, tt.reason)
		})
	}
	if c, err := USCCCheck("91350100m000100y4"); err != nil || c != '3' {
		t.Errorf("USCCCheck of the standard's example = %q, %v; want '3' (DOMAIN.md §3.1)", c, err)
	}
}
