package contacts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinFold maps the Latin-1 Supplement and Latin Extended-A letters
// (U+00C0..U+017F) to their lower-case ASCII base letters. An empty entry
// means the rune has no ASCII fold and is kept (lower-cased).
var latinFold = func() [0x180 - 0xC0]string {
	var t [0x180 - 0xC0]string
	set := func(from, to rune, base string) {
		for r := from; r <= to; r++ {
			t[r-0xC0] = base
		}
	}
	set(0xC0, 0xC5, "a")
	t[0xC6-0xC0] = "ae"
	t[0xC7-0xC0] = "c"
	set(0xC8, 0xCB, "e")
	set(0xCC, 0xCF, "i")
	t[0xD0-0xC0] = "d"
	t[0xD1-0xC0] = "n"
	set(0xD2, 0xD6, "o")
	t[0xD8-0xC0] = "o"
	set(0xD9, 0xDC, "u")
	t[0xDD-0xC0] = "y"
	t[0xDE-0xC0] = "th"
	t[0xDF-0xC0] = "ss"
	set(0xE0, 0xE5, "a")
	t[0xE6-0xC0] = "ae"
	t[0xE7-0xC0] = "c"
	set(0xE8, 0xEB, "e")
	set(0xEC, 0xEF, "i")
	t[0xF0-0xC0] = "d"
	t[0xF1-0xC0] = "n"
	set(0xF2, 0xF6, "o")
	t[0xF8-0xC0] = "o"
	set(0xF9, 0xFC, "u")
	t[0xFD-0xC0] = "y"
	t[0xFE-0xC0] = "th"
	t[0xFF-0xC0] = "y"
	// Latin Extended-A comes in upper/lower pairs sharing a base letter.
	ext := []struct {
		from, to rune
		base     string
	}{
		{0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"},
		{0x112, 0x11B, "e"}, {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},
		{0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"},
		{0x136, 0x138, "k"}, {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
		{0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"},
		{0x15A, 0x161, "s"}, {0x162, 0x167, "t"}, {0x168, 0x173, "u"},
		{0x174, 0x175, "w"}, {0x176, 0x178, "y"}, {0x179, 0x17E, "z"},
		{0x17F, 0x17F, "s"},
	}
	for _, e := range ext {
		set(e.from, e.to, e.base)
	}
	return t
}()

// isHan reports whether r is a CJK ideograph. Each ideograph counts as the
// start of a word for prefix matching ("Chinese by character").
func isHan(r rune) bool {
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

// appendFold appends the folded form of s to dst: lower case, Latin accents
// removed, every run of characters that are neither letters nor digits
// turned into one space. Combining marks are dropped. The result never starts
// or ends with a space unless dst already did.
func appendFold(dst []byte, s string) []byte {
	space := len(dst) == 0 || dst[len(dst)-1] == ' '
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				dst = append(dst, c)
				space = false
			case 'A' <= c && c <= 'Z':
				dst = append(dst, c+'a'-'A')
				space = false
			default:
				if !space {
					dst = append(dst, ' ')
					space = true
				}
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= 0xC0 && r < 0x180 && latinFold[r-0xC0] != "":
			dst = append(dst, latinFold[r-0xC0]...)
			space = false
		case unicode.Is(unicode.Mn, r):
			// combining accent (decomposed input): drop it.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
			space = false
		default:
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		}
	}
	return dst
}

// Fold returns the search form of s: lower case, accents folded, words
// separated by single spaces, no leading or trailing space.
func Fold(s string) string {
	b := appendFold(nil, s)
	return strings.TrimSpace(string(b))
}

// appendDigits appends the ASCII digits of s to dst (other runes dropped).
func appendDigits(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' {
			dst = append(dst, c)
		}
	}
	return dst
}

// isPhoneQuery reports whether q looks like a typed phone number: digits,
// optionally with '+', spaces, dashes, dots, slashes and parentheses.
func isPhoneQuery(q string) bool {
	digits := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '+' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
		default:
			return false
		}
	}
	return digits > 0
}
