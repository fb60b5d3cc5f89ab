package contacts

// Digit windows: phone digits make 3-rune grams useless for narrowing a
// query. There are only a thousand digit 3-grams and every one of them is
// in a good share of a million contacts (they are the dense lists), so a
// rare number typed in full ("+34 600 000") intersects lists that still
// hold a tenth of the book, and the last search stage verifies all of
// them: about 20 ms. So every window of digitWindow consecutive ASCII
// digits in a search text is also posted under a key of its own; a query
// term with that many digits in a row reads those lists, which hold a few
// hundred contacts at most.

// digitWindow is the length of a digit window. Five digits: a hundred
// thousand values, so a list holds about one contact in ten thousand, and
// the last five or six digits someone remembers of a number are covered.
const digitWindow = 5

// digitWindowKey is the bucket of a window of digitWindow ASCII digits.
func digitWindowKey(w []byte) uint32 {
	v := uint64(0)
	for _, c := range w[:digitWindow] {
		v = v*10 + uint64(c-'0')
	}
	return uint32(((v + 0x9D6F1A5C3B) * 0xD6E8FEB86659FD93) >> (64 - bucketBits))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// appendDigitWindows appends the key of every window of digitWindow
// digits inside the runs of ASCII digits of s. Every string containing a
// run of at least digitWindow digits contains each of its windows, so the
// lists of a query's windows hold every text that contains the query.
func appendDigitWindows(dst []uint32, s []byte) []uint32 {
	run := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			run = 0
			continue
		}
		run++
		if run >= digitWindow {
			dst = append(dst, digitWindowKey(s[i+1-digitWindow:i+1]))
		}
	}
	return dst
}
