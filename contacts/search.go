package contacts

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"
)

// Match tiers, best first.
const (
	tierExact  = 0 // the term is a whole word (or whole phone token)
	tierPrefix = 1 // a word starts with the term (any Han ideograph starts one)
	tierInfix  = 2 // the term occurs inside a word
	tierNone   = 3
)

// query is a parsed search string.
type query struct {
	raw   string
	terms [][]byte // folded terms, or one digit string for a phone query
}

// parseQuery folds q. A query made only of digits and phone punctuation
// ("+34 666-55") becomes a single digit term so that spaces and dashes typed
// inside a number do not split it.
func parseQuery(q string) query {
	out := query{raw: q}
	if isPhoneQuery(q) {
		out.terms = [][]byte{appendDigits(nil, q)}
		return out
	}
	for _, t := range bytes.Fields(appendFold(nil, q)) {
		out.terms = append(out.terms, t)
	}
	return out
}

// extends reports whether every contact matching q also matches prev:
// each term of prev is a substring of the term at the same place in q.
// Matching is substring based, so the previous result set can be refined.
func (q query) extends(prev query) bool {
	if len(prev.terms) == 0 || len(q.terms) < len(prev.terms) {
		return false
	}
	for i, t := range prev.terms {
		if !bytes.Contains(q.terms[i], t) {
			return false
		}
	}
	return true
}

// termTier returns the best tier of term t in text (" w1 w2 ... "), and
// its best tier among the name's words, before byte offset nameEnd.
func termTier(text, t []byte, nameEnd int) (best, inName int) {
	best, inName = tierNone, tierNone
	han := isHan(firstRuneBytes(t))
	for from := 0; ; {
		i := bytes.Index(text[from:], t)
		if i < 0 {
			return best, inName
		}
		p := from + i
		start := text[p-1] == ' '
		end := text[p+len(t)] == ' '
		tier := tierInfix
		switch {
		case start && end:
			tier = tierExact
		case start || han:
			tier = tierPrefix
		}
		best = min(best, tier)
		if p < nameEnd {
			inName = min(inName, tier)
		}
		if best == tierExact && (inName == tierExact || p > nameEnd) {
			return best, inName // the name's words come first: nothing better is left
		}
		from = p + 1
	}
}

// nameEndIn returns the offset of the nameEnd token in a search text.
func nameEndIn(text []byte) int {
	if i := bytes.IndexByte(text, nameEnd); i >= 0 {
		return i
	}
	return len(text)
}

func firstRuneBytes(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// score is the rank of one matching contact: lower is better.
type score struct {
	worst, sum int
	// other is 1 when a term matched whole or as a word prefix is matched
	// so only outside the name (organisation, e-mail, phone): within
	// equal tiers, "jose i" puts José Ibáñez before José Alonso of Iberia.
	other  int
	recent uint32
	num    uint32
}

// match verifies every term of q against num's text. ok is false when a
// term is missing.
func (m *memIndex) match(num uint32, q *query) (score, bool) {
	text := m.text(num)
	s := score{num: num, recent: m.recent[num]}
	mk := nameEndIn(text)
	for _, t := range q.terms {
		tier, inName := termTier(text, t, mk)
		if tier == tierNone {
			return s, false
		}
		if tier <= tierPrefix && inName > tier {
			s.other = 1
		}
		s.worst = max(s.worst, tier)
		s.sum += tier
	}
	return s, true
}

// less orders scores: worst tier, tier sum, most recently called,
// matched in the name, then the folded text (name first) and finally
// arrival order.
func (m *memIndex) less(a, b score) bool {
	if a.worst != b.worst {
		return a.worst < b.worst
	}
	if a.sum != b.sum {
		return a.sum < b.sum
	}
	if a.recent != b.recent {
		return a.recent > b.recent
	}
	if a.other != b.other {
		return a.other < b.other
	}
	if c := bytes.Compare(m.text(a.num), m.text(b.num)); c != 0 {
		return c < 0
	}
	return a.num < b.num
}

// topK keeps the best k scores in order.
type topK struct {
	k   int
	m   *memIndex
	out []score
}

func (t *topK) push(s score) {
	if len(t.out) == t.k && !t.m.less(s, t.out[len(t.out)-1]) {
		return
	}
	i := len(t.out)
	if i < t.k {
		t.out = append(t.out, s)
	} else {
		i--
	}
	for i > 0 && t.m.less(s, t.out[i-1]) {
		t.out[i] = t.out[i-1]
		i--
	}
	t.out[i] = s
}

// searchResult is what one query computed: the top results and, when the
// match set is complete, every matching num for the next keystroke.
type searchResult struct {
	top      []score
	all      []uint32 // nil unless complete
	complete bool
}

// search runs q. prev, when non-nil, is the complete match set of a query
// that q extends; it is verified instead of reading postings.
func (m *memIndex) search(q *query, limit int, prev []uint32) searchResult {
	tk := topK{k: limit, m: m}
	var all []uint32
	verify := func(cands []uint32) {
		for _, n := range cands {
			if m.gone(n) {
				continue
			}
			if s, ok := m.match(n, q); ok {
				tk.push(s)
				all = append(all, n)
			}
		}
	}
	if prev != nil {
		verify(prev)
		return searchResult{top: tk.out, all: all, complete: true}
	}
	if m.n()-m.sortedN <= maxUnsorted && !m.noShortcut {
		if len(q.terms) == 1 {
			if top, ok := m.searchSorted(q, limit); ok {
				return searchResult{top: top}
			}
		} else if res, ok := m.searchSortedTerms(q, limit); ok {
			return res
		}
	}
	if cands, ok := m.longTermCandidates(q); ok {
		verify(cands)
		return searchResult{top: tk.out, all: all, complete: true}
	}
	// Every term is shorter than three runes: read the word-start postings
	// of the rarest term. Contacts where that term only occurs inside a
	// word are missing, but they rank below any contact whose terms all
	// start words; if enough of those were found the answer is exact.
	best, bestLen := uint32(0), -1
	for _, t := range q.terms {
		b := startKey([]rune(string(t)))
		if l := m.postingLen(b); bestLen < 0 || l < bestLen {
			best, bestLen = b, l
		}
	}
	verify(m.postings(nil, best))
	good := 0
	for _, s := range tk.out {
		if s.worst <= tierPrefix {
			good++
		}
	}
	if good >= limit {
		return searchResult{top: tk.out}
	}
	// Too few word-start matches: scan everything (rare: an unusual pair
	// of letters, or a tiny book).
	tk.out, all = tk.out[:0], nil
	for n := uint32(0); n < m.n(); n++ {
		if m.isDead(n) {
			continue
		}
		if s, ok := m.match(n, q); ok {
			tk.push(s)
			all = append(all, n)
		}
	}
	return searchResult{top: tk.out, all: all, complete: true}
}

// listPool recycles decoded posting lists between queries.
var listPool = sync.Pool{New: func() any { return new([]uint32) }}

// queryGrams returns the distinct 3-rune gram keys of q's terms and the
// keys of their digit windows, shortest posting list first (nil when no
// term has three runes). Every list holds every contact whose text
// contains the term it came from.
func (m *memIndex) queryGrams(q *query) []uint32 {
	var grams []uint32
	for _, t := range q.terms {
		rs := []rune(string(t))
		for i := 0; i+2 < len(rs); i++ {
			grams = append(grams, gramKey(rs[i], rs[i+1], rs[i+2]))
		}
		grams = appendDigitWindows(grams, t)
	}
	return m.byLength(grams)
}

// longTermCandidates returns a superset of the nums matching q: the
// intersection of the (up to) four shortest distinct gram lists of its
// terms (digit grams are few and dense, so two lists alone leave many
// false candidates). ok is false when no term has three runes.
func (m *memIndex) longTermCandidates(q *query) ([]uint32, bool) {
	grams := m.queryGrams(q)
	if len(grams) == 0 {
		return nil, false
	}
	cands := m.postings(nil, grams[0])
	bp := listPool.Get().(*[]uint32)
	buf := *bp
	for _, g := range grams[1:min(len(grams), 4)] {
		buf = m.postings(buf[:0], g)
		cands = intersect(cands, buf)
	}
	*bp = buf
	listPool.Put(bp)
	return cands, true
}

// trimQuery is the cache key form of a query string.
func trimQuery(q string) string { return strings.TrimSpace(q) }
