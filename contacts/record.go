package contacts

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Record encoding: the contact's fields joined by \x1f, list items by \x1e.
const (
	recSep  = "\x1f"
	listSep = "\x1e"
)

// appendRec appends the record encoding of c to dst.
func appendRec(dst []byte, c *Contact) []byte {
	dst = append(dst, c.ID...)
	dst = append(dst, recSep...)
	dst = append(dst, c.Name...)
	dst = append(dst, recSep...)
	dst = append(dst, c.Org...)
	dst = append(dst, recSep...)
	dst = appendList(dst, c.Phones)
	dst = append(dst, recSep...)
	dst = appendList(dst, c.Digits)
	dst = append(dst, recSep...)
	dst = appendList(dst, c.Emails)
	dst = append(dst, recSep...)
	return append(dst, c.Source...)
}

func appendList(dst []byte, l []string) []byte {
	for i, s := range l {
		if i > 0 {
			dst = append(dst, listSep...)
		}
		dst = append(dst, s...)
	}
	return dst
}

func encodeRec(c *Contact) string { return string(appendRec(nil, c)) }

// recID returns the ID field of an encoded record.
func recID(rec []byte) string {
	if i := bytes.IndexByte(rec, recSep[0]); i >= 0 {
		return string(rec[:i])
	}
	return string(rec)
}

// recSource returns the Source field of an encoded record.
func recSource(rec []byte) Source {
	return Source(rec[bytes.LastIndexByte(rec, recSep[0])+1:])
}

func decodeRec(s string) Contact {
	f := strings.Split(s, recSep)
	for len(f) < 7 {
		f = append(f, "")
	}
	list := func(v string) []string {
		if v == "" {
			return nil
		}
		return strings.Split(v, listSep)
	}
	c := Contact{ID: f[0], Name: f[1], Org: f[2], Phones: list(f[3]), Digits: list(f[4]), Emails: list(f[5]), Source: Source(f[6])}
	if len(c.Digits) < len(c.Phones) {
		// Digits are positional; an all-empty list collapses on Split.
		c.Digits = append(c.Digits, make([]string, len(c.Phones)-len(c.Digits))...)
	}
	return c
}

// sanitize strips the record separators from user text so that encodeRec
// stays reversible.
func sanitize(s string) string {
	if !strings.ContainsAny(s, recSep+listSep) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == 0x1f || r == 0x1e {
			return ' '
		}
		return r
	}, s)
}

// firstRune returns the first rune of s.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
