package contacts

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// colonIndex returns the index of the ':' ending the property head, skipping
// colons inside double-quoted parameter values.
func colonIndex(l []byte) int {
	quoted := false
	for i, c := range l {
		switch c {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	return -1
}

// errQP is returned for malformed quoted-printable text.
var errQP = errors.New("bad quoted-printable escape")

func decodeQP(v []byte) ([]byte, error) {
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+1 == len(v) {
			break // trailing soft break
		}
		if i+2 >= len(v) {
			return nil, errQP
		}
		h, ok1 := unhex(v[i+1])
		l, ok2 := unhex(v[i+2])
		if !ok1 || !ok2 {
			return nil, errQP
		}
		out = append(out, h<<4|l)
		i += 2
	}
	return out, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// cp1252 maps bytes 0x80..0x9F of Windows-1252 to Unicode; the rest of the
// code page is ISO-8859-1.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// toUTF8 converts v from charset to UTF-8. UTF-8 (and ASCII) pass through
// when valid; ISO-8859-1 and Windows-1252 are converted; any other or
// missing charset on invalid UTF-8 is read as Windows-1252, the most common
// legacy export encoding.
func toUTF8(v []byte, charset string) []byte {
	cs := strings.ToUpper(strings.ReplaceAll(charset, "_", "-"))
	if (cs == "" || cs == "UTF-8" || cs == "UTF8" || cs == "US-ASCII" || cs == "ASCII") && utf8.Valid(v) {
		return v
	}
	if cs != "ISO-8859-1" && cs != "LATIN1" && cs != "WINDOWS-1252" && cs != "CP1252" && utf8.Valid(v) {
		return v
	}
	out := make([]byte, 0, len(v)+len(v)/2)
	for _, c := range v {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0 && cs != "ISO-8859-1" && cs != "LATIN1":
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
