package idcode

import (
	"strings"
	"time"
	"unicode/utf8"
)

// idWeights are the ISO 7064 MOD 11-2 weights of positions 1–17.
var idWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idChecks maps Σ mod 11 to the check character.
const idChecks = "10X98765432"

// provinces are the valid first two digits of an identity number.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// earliestBirth is the earliest birth date accepted.
var earliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// IDCard is a valid citizen identity number (公民身份号码) and what it encodes.
type IDCard struct {
	Number string    // 18 characters, check 'X' upper case
	Birth  time.Time // date of birth, midnight UTC
	Male   bool      // the sequence number (positions 15–17) is odd
	Region string    // 地址码, six digits
}

// ValidateIDCard checks an identity number (GB 11643-1999): 17 digits and a
// check digit or 'X' (a lower-case 'x' is accepted), a known province, a birth
// date between 1900-01-01 and the date of now, and the MOD 11-2 check. A
// 15-digit legacy number is upgraded first.
func ValidateIDCard(s string, now time.Time) (IDCard, error) {
	s = normalize(s)
	if utf8.RuneCountInString(s) == 15 {
		up, err := UpgradeIDCard(s)
		if err != nil {
			return IDCard{}, err
		}
		s = up
	}
	if err := checkShape(KindIDCard, s, 18, digits+"X"); err != nil {
		return IDCard{}, err
	}
	if !inAlphabet(s[:17], digits) {
		return IDCard{}, &Error{KindIDCard, ReasonCharset}
	}
	if !provinces[s[:2]] {
		return IDCard{}, &Error{KindIDCard, ReasonRegion}
	}
	birth, ok := birthDate(s[6:14], now)
	if !ok {
		return IDCard{}, &Error{KindIDCard, ReasonBirthdate}
	}
	if c, _ := IDCardCheck(s[:17]); c != s[17] {
		return IDCard{}, &Error{KindIDCard, ReasonChecksum}
	}
	male := (s[16]-'0')%2 == 1
	return IDCard{Number: s, Birth: birth, Male: male, Region: s[:6]}, nil
}

// birthDate parses YYYYMMDD and checks it is a real date from 1900-01-01 up
// to the civil date of now.
func birthDate(s string, now time.Time) (time.Time, bool) {
	b, err := time.Parse("20060102", s)
	if err != nil || b.Before(earliestBirth) {
		return time.Time{}, false
	}
	y, m, d := now.Date()
	return b, !b.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// UpgradeIDCard turns a 15-digit legacy number into 18 characters by
// inserting "19" before the two-digit birth year and appending the check
// character. It checks only the form; ValidateIDCard checks the result.
func UpgradeIDCard(s string) (string, error) {
	s = normalize(s)
	if err := checkShape(KindIDCard, s, 15, digits); err != nil {
		return "", err
	}
	first17 := s[:6] + "19" + s[6:]
	c, err := IDCardCheck(first17)
	return first17 + string(c), err
}

// IDCardCheck returns the check character of a number's first 17 digits:
// "10X98765432"[Σ digit·weight mod 11].
func IDCardCheck(first17 string) (byte, error) {
	first17 = strings.TrimSpace(first17)
	if err := checkShape(KindIDCard, first17, 17, digits); err != nil {
		return 0, err
	}
	return idChecks[weightedSum(first17, digits, idWeights)%11], nil
}

// Age returns the age in whole years on the civil date of at; someone born on
// 29 February turns a year older on 1 March in common years.
func (c IDCard) Age(at time.Time) int {
	y, m, d := at.Date()
	age := y - c.Birth.Year()
	if m < c.Birth.Month() || (m == c.Birth.Month() && d < c.Birth.Day()) {
		age--
	}
	return age
}

// Mask hides the birth date and the first digit of the sequence number, e.g.
// "110105********002X", for display and logs.
func (c IDCard) Mask() string {
	if len(c.Number) != 18 {
		return strings.Repeat("*", len(c.Number))
	}
	return c.Number[:6] + strings.Repeat("*", 8) + c.Number[14:]
}
