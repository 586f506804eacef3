package idcode

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// today is the fixed "now" of these tests.
var today = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func birth(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestValidateIDCardWorkedExamples(t *testing.T) {
	tests := []struct {
		in   string
		want IDCard
	}{
		{"11010519491231002X", IDCard{Number: "11010519491231002X", Birth: birth(1949, 12, 31), Male: false, Region: "110105"}},
		{"53010219200508011X", IDCard{Number: "53010219200508011X", Birth: birth(1920, 5, 8), Male: true, Region: "530102"}},
		{"370101190102039973", IDCard{Number: "370101190102039973", Birth: birth(1901, 2, 3), Male: true, Region: "370101"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ValidateIDCard(tt.in, today)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ValidateIDCard = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestValidateIDCardNormalises(t *testing.T) {
	tests := map[string]string{
		"lower-case x becomes X":         "11010519491231002x",
		"surrounding spaces are trimmed": " 11010519491231002X\n",
		"a 15-digit number is upgraded":  "110105491231002",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ValidateIDCard(in, today)
			if err != nil || got.Number != "11010519491231002X" {
				t.Errorf("ValidateIDCard(%q) = %+v, %v", in, got, err)
			}
		})
	}
}

// withIDCheck appends the right check character to a 17-digit body.
func withIDCheck(first17 string) string {
	c, err := IDCardCheck(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func TestValidateIDCardRejects(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		reason Reason
	}{
		{"empty", "", ReasonEmpty},
		{"17 characters", "11010519491231002", ReasonLength},
		{"16 characters", "1101051949123100", ReasonLength},
		{"an inner space", "110105 19491231002X", ReasonLength},
		{"a letter in the body", "1101051949123100AX", ReasonCharset},
		{"X anywhere but last", "X10105194912310021", ReasonCharset},
		{"a check letter other than X", "11010519491231002Y", ReasonCharset},
		{"a wrong check character", "110105194912310021", ReasonChecksum},
		{"month 13", withIDCheck("11010519491331002"), ReasonBirthdate},
		{"February 30", withIDCheck("11010520230230002"), ReasonBirthdate},
		{"February 29 in a common year", withIDCheck("11010520230229002"), ReasonBirthdate},
		{"born before 1900", withIDCheck("11010518991231002"), ReasonBirthdate},
		{"born after today", withIDCheck("11010520250602002"), ReasonBirthdate},
		{"province 00 does not exist", withIDCheck("00010519491231002"), ReasonRegion},
		{"province 16 does not exist", withIDCheck("16010519491231002"), ReasonRegion},
		{"province 99 does not exist", withIDCheck("99010519491231002"), ReasonRegion},
		{"a 15-digit number with a letter", "11010549123100A", ReasonCharset},
		{"a 15-digit number with a bad date", "110105491331002", ReasonBirthdate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ValidateIDCard(tt.in, today)
			wantReason(t, err, KindIDCard, tt.reason)
		})
	}
}

func TestValidateIDCardBirthDateBounds(t *testing.T) {
	for name, body := range map[string]string{
		"born on 1900-01-01":        "11010519000101002",
		"born today":                "11010520250601002",
		"born on a leap day (2024)": "11010520240229002",
	} {
		t.Run(name+" is valid", func(t *testing.T) {
			if _, err := ValidateIDCard(withIDCheck(body), today); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestIDCardProvinces(t *testing.T) {
	valid := map[int]bool{}
	for _, p := range []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83} {
		valid[p] = true
	}
	for p := range 100 {
		code := withIDCheck(fmt.Sprintf("%02d010519491231002", p))
		_, err := ValidateIDCard(code, today)
		if valid[p] && err != nil {
			t.Errorf("province %02d: %v", p, err)
		}
		if !valid[p] {
			wantReason(t, err, KindIDCard, ReasonRegion)
		}
	}
}

func TestUpgradeIDCard(t *testing.T) {
	got, err := UpgradeIDCard("110105491231002")
	if err != nil || got != "11010519491231002X" {
		t.Errorf("UpgradeIDCard = %q, %v", got, err)
	}
	_, err = UpgradeIDCard("11010519491231002X")
	wantReason(t, err, KindIDCard, ReasonLength)
	_, err = UpgradeIDCard("1101054912310X2")
	wantReason(t, err, KindIDCard, ReasonCharset)
}

func TestIDCardAge(t *testing.T) {
	id, err := ValidateIDCard("11010519491231002X", today)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		want int
	}{
		{"the day before the birthday", time.Date(2025, 12, 30, 23, 59, 0, 0, time.UTC), 75},
		{"on the birthday", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), 76},
		{"on the day of birth", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := id.Age(tt.at); got != tt.want {
				t.Errorf("Age(%v) = %d, want %d", tt.at, got, tt.want)
			}
		})
	}
	leap, err := ValidateIDCard(withIDCheck("11010520000229002"), today)
	if err != nil {
		t.Fatal(err)
	}
	if a := leap.Age(time.Date(2018, 2, 28, 0, 0, 0, 0, time.UTC)); a != 17 {
		t.Errorf("leap-day baby on 2018-02-28 is %d, want 17", a)
	}
	if a := leap.Age(time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)); a != 18 {
		t.Errorf("leap-day baby on 2018-03-01 is %d, want 18", a)
	}
}

func TestIDCardMask(t *testing.T) {
	id, err := ValidateIDCard("11010519491231002X", today)
	if err != nil {
		t.Fatal(err)
	}
	if got := id.Mask(); got != "110105********002X" {
		t.Errorf("Mask() = %q", got)
	}
}

// randomIDCard builds a valid number born between 1900-01-01 and today.
func randomIDCard(r *rand.Rand) string {
	provinces := []string{"11", "31", "33", "44", "53", "65", "71", "81", "82", "83"}
	first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(today.Sub(first).Hours() / 24)
	b := first.AddDate(0, 0, r.IntN(days+1)).Format("20060102")
	body := provinces[r.IntN(len(provinces))] + randomFrom(r, "0123456789", 4) + b + randomFrom(r, "0123456789", 3)
	return withIDCheck(body)
}

func TestIDCardCheckOnRandomNumbers(t *testing.T) {
	r := newRand(t)
	for range 2000 {
		code := randomIDCard(r)
		if _, err := ValidateIDCard(code, today); err != nil {
			t.Fatalf("generated %s: %v", code, err)
		}
		for _, c := range []byte("0123456789X") {
			if c == code[17] {
				continue
			}
			_, err := ValidateIDCard(code[:17]+string(c), today)
			wantReason(t, err, KindIDCard, ReasonChecksum)
		}
	}
}

func TestIDCardDetectsEverySingleSubstitution(t *testing.T) {
	r := newRand(t)
	codes := []string{"11010519491231002X", "53010219200508011X", "370101190102039973"}
	for range 200 {
		codes = append(codes, randomIDCard(r))
	}
	for _, code := range codes {
		substitutions(code, "0123456789X", func(pos int, mutated string) {
			if _, err := ValidateIDCard(mutated, today); err == nil {
				t.Fatalf("%s → %s (position %d) still validates", code, mutated, pos+1)
			}
		})
	}
}

func TestIDCardCheckRejectsBadBodies(t *testing.T) {
	_, err := IDCardCheck("1101051949123100")
	wantReason(t, err, KindIDCard, ReasonLength)
	_, err = IDCardCheck("1101051949123100X")
	wantReason(t, err, KindIDCard, ReasonCharset)
}
