package idcode

import (
	"strings"
	"testing"
)

// realLicenceIDs are identifiers found in the wild (DOMAIN.md §3.3).
var realLicenceIDs = []string{
	"1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
	"1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
	"1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
}

func TestValidateLicenceIDRealExamples(t *testing.T) {
	for _, id := range realLicenceIDs {
		t.Run(id, func(t *testing.T) {
			if _, err := ValidateLicenceID(id); err != nil {
				t.Error(err)
			}
		})
	}
	got, err := ValidateLicenceID(realLicenceIDs[2])
	if err != nil {
		t.Fatal(err)
	}
	want := LicenceID{Identifier: realLicenceIDs[2], Type: "11100000MB03271699022", Issuer: "340100",
		Serial: "000000016", Version: "001", Check: '9'}
	if got != want {
		t.Errorf("ValidateLicenceID = %+v, want %+v", got, want)
	}
}

func TestLicenceIDDetectsEverySingleSubstitution(t *testing.T) {
	for _, id := range realLicenceIDs {
		substitutions(id, base36+".", func(pos int, mutated string) {
			if _, err := ValidateLicenceID(mutated); err == nil {
				t.Errorf("%s → %s (position %d) still validates", id, mutated, pos+1)
			}
		})
	}
}

func TestValidateLicenceIDRejects(t *testing.T) {
	const root = "1.2.156.3005.2."
	tests := []struct {
		name   string
		in     string
		reason Reason
	}{
		{"empty", "", ReasonEmpty},
		{"another root", "1.2.156.3005.3.11100000MB03271699022.340100.000000016.001.9", ReasonFormat},
		{"a missing part", root + "11100000MB03271699022.340100.001.9", ReasonFormat},
		{"an extra part", root + "11100000MB03271699022.340100.000000016.001.X.9", ReasonFormat},
		{"an empty type", root + ".340100.000000016.001.9", ReasonFormat},
		{"an empty issuer", root + "11100000MB03271699022..000000016.001.9", ReasonFormat},
		{"an empty serial", root + "11100000MB03271699022.340100..001.9", ReasonFormat},
		{"a two-digit version", root + "11100000MB03271699022.340100.000000016.01.9", ReasonFormat},
		{"a version with a letter", root + "11100000MB03271699022.340100.000000016.0A1.9", ReasonFormat},
		{"a two-character check", root + "11100000MB03271699022.340100.000000016.001.99", ReasonFormat},
		{"a serial of 33 characters", root + "T.340100." + strings.Repeat("1", 33) + ".001.9", ReasonLength},
		{"punctuation in the serial", root + "11100000MB03271699022.340100.0000-0016.001.9", ReasonCharset},
		{"a Chinese character in the issuer", root + "11100000MB03271699022.34010０.000000016.001.9", ReasonCharset},
		{"a punctuation check", root + "11100000MB03271699022.340100.000000016.001.-", ReasonCharset},
		{"a wrong check", root + "11100000MB03271699022.340100.000000016.001.8", ReasonChecksum},
		{"an inner space", root + "11100000MB03271699022.340100. 000000016.001.9", ReasonCharset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ValidateLicenceID(tt.in)
			wantReason(t, err, KindLicenceID, tt.reason)
		})
	}
}

func TestValidateLicenceIDNormalises(t *testing.T) {
	in := "  " + strings.ToLower(realLicenceIDs[0]) + "\n"
	got, err := ValidateLicenceID(in)
	if err != nil || got.Identifier != realLicenceIDs[0] {
		t.Errorf("ValidateLicenceID(%q) = %+v, %v", in, got, err)
	}
}

func TestLicenceCheck(t *testing.T) {
	tests := []struct {
		payload string
		want    byte
	}{
		{"11100000000013338W01111430000006122244L20230000403001", 'U'},
		{"11100000000013338W00911330105002500287C2025052201002", '0'},
		{"11100000MB03271699022340100000000016001", '9'},
	}
	for _, tt := range tests {
		t.Run(tt.payload, func(t *testing.T) {
			if got, err := LicenceCheck(tt.payload); err != nil || got != tt.want {
				t.Errorf("LicenceCheck = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	_, err := LicenceCheck("")
	wantReason(t, err, KindLicenceID, ReasonEmpty)
	_, err = LicenceCheck("ABC.1")
	wantReason(t, err, KindLicenceID, ReasonCharset)
}

func TestNewLicenceID(t *testing.T) {
	got, err := NewLicenceID("11100000MB03271699022", "340100", "000000016", "001")
	if err != nil || got != realLicenceIDs[2] {
		t.Errorf("NewLicenceID = %q, %v; want %q", got, err, realLicenceIDs[2])
	}
	r := newRand(t)
	for range 2000 {
		issuer := randomUSCC(r)
		typ := randomUSCC(r) + randomFrom(r, "0123456789", 3)
		serial := randomFrom(r, base36, 1+r.IntN(32))
		version := randomFrom(r, "0123456789", 3)
		id, err := NewLicenceID(typ, issuer, serial, version)
		if err != nil {
			t.Fatalf("NewLicenceID(%s, %s, %s, %s): %v", typ, issuer, serial, version, err)
		}
		lid, err := ValidateLicenceID(id)
		if err != nil || lid.Type != typ || lid.Issuer != issuer || lid.Serial != serial || lid.Version != version {
			t.Fatalf("ValidateLicenceID(%s) = %+v, %v", id, lid, err)
		}
		for _, c := range []byte(base36) {
			if c != lid.Check {
				_, err := ValidateLicenceID(id[:len(id)-1] + string(c))
				wantReason(t, err, KindLicenceID, ReasonChecksum)
			}
		}
	}
	_, err = NewLicenceID("T", "340100", "1", "1")
	wantReason(t, err, KindLicenceID, ReasonFormat)
	_, err = NewLicenceID("T.1", "340100", "1", "001")
	wantReason(t, err, KindLicenceID, ReasonCharset)
}
