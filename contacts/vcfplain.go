package contacts

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
)

// The plain reading path: most cards of a large export are plain vCard 3.0
// or 4.0 (UTF-8, no encodings, no quoted parameters, no preference among
// names), and for those the general path (cleanLine, then go-vcard's
// parser on a rebuilt card) was half of the importer's own CPU. decodePlain
// reads such a card's properties straight from its lines and gives the
// same Contact as decodeGeneral; any card it does not read plainly it
// declines, and decodeGeneral reads it (and reports its errors).
// FuzzDecodePlain checks the two against each other.

// plainProp names the properties the plain path keeps.
type plainProp int

const (
	propOther plainProp = iota
	propFN
	propN
	propORG
	propTEL
	propEMAIL
	propUID
	propVERSION
)

var plainProps = [...]struct {
	name string
	prop plainProp
}{
	{"FN", propFN}, {"N", propN}, {"ORG", propORG}, {"TEL", propTEL},
	{"EMAIL", propEMAIL}, {"UID", propUID}, {"VERSION", propVERSION},
}

// propOf classifies a logical line as propName and wanted do: the name
// before the first ';' or ':', without its group, compared in ASCII upper
// case. It allocates nothing.
func propOf(l []byte) plainProp {
	end := bytes.IndexAny(l, ";:")
	if end < 0 {
		return propOther
	}
	name := l[:end]
	if dot := bytes.IndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	for _, p := range plainProps {
		if asciiUpperEqual(name, p.name) {
			return p.prop
		}
	}
	return propOther
}

// asciiUpperEqual reports whether b upper-cased in ASCII only is upper.
func asciiUpperEqual(b []byte, upper string) bool {
	if len(b) != len(upper) {
		return false
	}
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != upper[i] {
			return false
		}
	}
	return true
}

// plainHead reports whether the property head (before the value's colon)
// is read by go-vcard exactly as written once cleanLine has rewritten it:
// ASCII, no quotes, no encoding or charset. hasParams reports a non-empty
// parameter.
func plainHead(head []byte) (plain, hasParams bool) {
	for _, c := range head {
		if c >= utf8.RuneSelf || c == '"' {
			return false, false
		}
	}
	semi := bytes.IndexByte(head, ';')
	if semi < 0 {
		return true, false
	}
	for p := range bytes.SplitSeq(head[semi+1:], []byte(";")) {
		if len(p) == 0 {
			continue
		}
		hasParams = true
		key := p
		if eq := bytes.IndexByte(p, '='); eq >= 0 {
			key = p[:eq]
			if asciiUpperEqual(key, "ENCODING") || asciiUpperEqual(key, "CHARSET") {
				return false, true
			}
			continue
		}
		if asciiUpperEqual(key, "QUOTED-PRINTABLE") || asciiUpperEqual(key, "BASE64") || asciiUpperEqual(key, "B") {
			return false, true
		}
	}
	return true, hasParams
}

// vcardValue is go-vcard's value unescaping (its parseValue).
var vcardValue = strings.NewReplacer("\\\\", "\\", "\\n", "\n", "\\,", ",")

func plainValue(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	return vcardValue.Replace(string(v))
}

// decodePlain reads rc as decodeGeneral would, or reports false when rc is
// not a plain card (or is a bad one): then decodeGeneral must read it.
func decodePlain(rc *rawCard) (Contact, bool) {
	if rc.err != nil {
		return Contact{}, false
	}
	// The first UID, FN, N and ORG count, as go-vcard's Value gives them.
	var first [propVERSION + 1]string
	var seen [propVERSION + 1]bool
	var phones, emails []string
	for _, l := range rc.lines {
		colon := colonIndex(l)
		if colon < 0 {
			return Contact{}, false
		}
		prop := propOf(l)
		if prop == propOther {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			return Contact{}, false // go-vcard would fold it into the line before
		}
		plain, hasParams := plainHead(l[:colon])
		if !plain || hasParams && (prop == propFN || prop == propN) {
			// parameters of FN and N choose the preferred one
			return Contact{}, false
		}
		raw := l[colon+1:]
		if !utf8.Valid(raw) {
			return Contact{}, false
		}
		switch prop {
		case propUID, propFN, propN, propORG:
			if !seen[prop] {
				first[prop], seen[prop] = plainValue(raw), true
			}
		case propTEL:
			phones = appendTrimmed(phones, plainValue(raw))
		case propEMAIL:
			emails = appendTrimmed(emails, plainValue(raw))
		}
	}
	var n *vcard.Name
	if seen[propN] {
		// go-vcard's N: family, given, additional, prefix, suffix
		parts := strings.Split(first[propN], ";")
		part := func(i int) string {
			if i < len(parts) {
				return parts[i]
			}
			return ""
		}
		n = &vcard.Name{FamilyName: part(0), GivenName: part(1), AdditionalName: part(2), HonorificPrefix: part(3), HonorificSuffix: part(4)}
	}
	c := contactOf(first[propUID], first[propFN], n, first[propORG])
	c.Phones, c.Emails = phones, emails
	if c.Name == "" && c.Org == "" && len(c.Phones) == 0 && len(c.Emails) == 0 {
		return Contact{}, false // decodeGeneral gives the error
	}
	return c, true
}
