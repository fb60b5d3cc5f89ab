package session

import "strings"

// DialNumber is the one rule that tells a number to dial from a contact's
// name: every front end (console, palette, headless) and backend uses it.
// A number is digits with the usual separators (spaces, '-', '.', '(',
// ')'), an optional leading '+', and the service symbols '*' and '#'
// ("*72", "#31#"); a sip:, sips: or tel: URI is dialled as it is. The
// number comes back with its spaces removed ("+34 917 370 192" ->
// "+34917370192"); ok is false for anything else, which is a name to look
// up in the contacts.
func DialNumber(s string) (number string, ok bool) {
	s = strings.TrimSpace(s)
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") || strings.HasPrefix(lower, "tel:") {
		_, rest, _ := strings.Cut(s, ":")
		if rest == "" || strings.ContainsAny(rest, " \t") {
			return "", false
		}
		return s, true
	}
	compact := strings.Join(strings.Fields(s), "")
	digits := 0
	for i, r := range compact {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == '(', r == ')', r == '.', r == '*', r == '#':
		default:
			return "", false
		}
	}
	if digits == 0 {
		return "", false
	}
	return compact, true
}
