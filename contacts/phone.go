package contacts

import (
	"strings"
)

// region describes how national numbers are written in one country.
type region struct {
	cc     string // country calling code
	trunk  string // national trunk prefix dropped before adding cc
	nsnLen int    // usual length of the national significant number, 0 if it varies
}

// regions maps ISO 3166 alpha-2 codes to their numbering facts (ITU-T E.164
// assignments). Countries absent from the table can still be given as a
// calling code in Options.DefaultCountry ("+352").
var regions = map[string]region{
	"US": {"1", "1", 10}, "CA": {"1", "1", 10}, "MX": {"52", "", 10},
	"ES": {"34", "", 9}, "FR": {"33", "0", 9}, "GB": {"44", "0", 10},
	"DE": {"49", "0", 0}, "IT": {"39", "", 0}, "PT": {"351", "", 9},
	"NL": {"31", "0", 9}, "BE": {"32", "0", 0}, "CH": {"41", "0", 9},
	"AT": {"43", "0", 0}, "IE": {"353", "0", 0}, "SE": {"46", "0", 0},
	"NO": {"47", "", 8}, "DK": {"45", "", 8}, "FI": {"358", "0", 0},
	"PL": {"48", "", 9}, "AR": {"54", "0", 10}, "CL": {"56", "", 9},
	"CO": {"57", "", 10}, "PE": {"51", "", 9}, "BR": {"55", "0", 0},
	"CN": {"86", "0", 0}, "HK": {"852", "", 8}, "TW": {"886", "0", 9},
	"JP": {"81", "0", 0}, "KR": {"82", "0", 0}, "IN": {"91", "0", 10},
	"AU": {"61", "0", 9}, "NZ": {"64", "0", 0}, "SG": {"65", "", 8},
	"LB": {"961", "0", 0}, "MA": {"212", "0", 9}, "ZA": {"27", "0", 9},
}

// resolveCountry turns Options.DefaultCountry ("ES", "es", "+34", "34", "")
// into a region. ok is false when the setting is empty or unknown.
func resolveCountry(s string) (region, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return region{}, false
	}
	if r, ok := regions[strings.ToUpper(s)]; ok {
		return r, true
	}
	cc := string(appendDigits(nil, s))
	if cc == "" || len(cc) > 3 {
		return region{}, false
	}
	for _, r := range regions {
		if r.cc == cc {
			return r, true
		}
	}
	return region{cc: cc}, true
}

// cleanPhone removes a "tel:" scheme and any extension (";ext=12", " x12",
// "ext. 12") from a phone number as written.
func cleanPhone(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	low := strings.ToLower(s)
	for _, mark := range []string{"ext", " x", "#"} {
		if i := strings.Index(low, mark); i > 0 {
			s, low = s[:i], low[:i]
		}
	}
	return s
}

// normalizePhone returns the E.164 digits (without '+') of a phone number
// as written, using country for numbers written in national form. With no
// usable country, national numbers keep their digits as written. It returns
// "" when the number has fewer than three digits.
func normalizePhone(written string, country region, hasCountry bool) string {
	s := cleanPhone(written)
	var buf [32]byte
	d := appendDigits(buf[:0], s)
	if len(d) < 3 {
		return ""
	}
	digits := string(d)
	plus := strings.HasPrefix(strings.TrimLeft(s, " ("), "+")
	switch {
	case plus:
		return digits
	case strings.HasPrefix(digits, "00"):
		return digits[2:]
	case hasCountry && country.cc == "1" && strings.HasPrefix(digits, "011"):
		return digits[3:]
	case !hasCountry:
		return digits
	}
	// Already international without '+' (e.g. 34666555444 in Spain)?
	if country.nsnLen > 0 && len(digits) == len(country.cc)+country.nsnLen && strings.HasPrefix(digits, country.cc) {
		return digits
	}
	if country.trunk != "" && strings.HasPrefix(digits, country.trunk) &&
		(country.nsnLen == 0 || len(digits) == len(country.trunk)+country.nsnLen) {
		digits = digits[len(country.trunk):]
	}
	return country.cc + digits
}

// nationalPart returns the national significant number of e164 digits when
// they start with the calling code of country, else "".
func nationalPart(e164 string, country region, hasCountry bool) string {
	if !hasCountry || !strings.HasPrefix(e164, country.cc) || len(e164)-len(country.cc) < 3 {
		return ""
	}
	return e164[len(country.cc):]
}
