package session

import "strings"

// DialNumber is the one rule that tells a number to dial from a contact's
// name: every front end (console, palette, headless) and backend uses it.
// A number is digits with the usual separators (spaces, '-', '.', '(',
// ')'), an optional leading '+', and the service symbols '*' and '#'
// ("*72", "#31#"); a sip:, sips: or tel: URI is dialled as it is (a sip:
// or sips: one only by a backend that dials URIs: State.DialsURIs). The
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

// IsSIPURI reports whether a dial or transfer target is a sip: or sips:
// URI (a SIP address, not a number): only a backend that dials URIs
// (State.DialsURIs) takes one.
func IsSIPURI(s string) bool {
	lower := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:")
}

// sipTarget is the SIP address a dial, transfer or consult goes to, ""
// when it goes to a number, an agent or a group.
func (c Command) sipTarget() string {
	switch c.Verb {
	case VerbDial:
		if IsSIPURI(c.Number) {
			return c.Number
		}
	case VerbTransfer, VerbConsult:
		if c.Target.Kind == TargetNumber && IsSIPURI(c.Target.ID) {
			return c.Target.ID
		}
	}
	return ""
}
