package contacts

import (
	"bytes"
	"slices"
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

// termTier returns the best tier of term t in text (" w1 w2 ... ").
func termTier(text, t []byte) int {
	best := tierNone
	han := isHan(firstRuneBytes(t))
	for from := 0; ; {
		i := bytes.Index(text[from:], t)
		if i < 0 {
			return best
		}
		p := from + i
		start := text[p-1] == ' '
		end := text[p+len(t)] == ' '
		switch {
		case start && end:
			return tierExact
		case start || han:
			best = min(best, tierPrefix)
		default:
			best = min(best, tierInfix)
		}
		from = p + 1
	}
}

func firstRuneBytes(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// score is the rank of one matching contact: lower is better.
type score struct {
	worst, sum int
	recent     uint32
	num        uint32
}

// match verifies every term of q against num's text. ok is false when a
// term is missing.
func (m *memIndex) match(num uint32, q *query) (score, bool) {
	text := m.text(num)
	s := score{num: num, recent: m.recent[num]}
	for _, t := range q.terms {
		tier := termTier(text, t)
		if tier == tierNone {
			return s, false
		}
		s.worst = max(s.worst, tier)
		s.sum += tier
	}
	return s, true
}

// less orders scores: worst tier, tier sum, most recently called, then the
// folded text (name first) and finally arrival order.
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
			if m.isDead(n) {
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
	if len(q.terms) == 1 && m.n()-m.sortedN <= maxUnsorted && !m.noShortcut {
		if top, ok := m.searchSorted(q, limit); ok {
			return searchResult{top: top}
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
		rs := []rune(string(t))
		var b uint32
		if len(rs) == 1 {
			b = wordStartKey(rs[0])
		} else {
			b = gramKey(' ', rs[0], rs[1])
		}
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

var seenPool = sync.Pool{New: func() any { return make(map[uint32]struct{}, 64) }}

// listPool recycles decoded posting lists between queries.
var listPool = sync.Pool{New: func() any { return new([]uint32) }}

// maxUnsorted is how many contacts added since the last renumbering (pushed
// ones, typically) searchSorted tolerates; each is checked on every query.
const maxUnsorted = 4096

// searchSorted answers a one-term query on a book numbered in search order
// without reading every match. Tier by tier: the contacts having the term
// as a whole word (token gram), the recently called ones, then the word
// prefix matches in num order, then the matches inside a word in num
// order. Within a tier the rest rank by num (name order), so each tier
// stops as soon as the answer is full. ok is false only when the book is
// not in search order.
func (m *memIndex) searchSorted(q *query, limit int) ([]score, bool) {
	t := q.terms[0]
	rs := []rune(string(t))
	L := len(rs)
	tk := topK{k: limit, m: m}
	seen := seenPool.Get().(map[uint32]struct{})
	defer func() { clear(seen); seenPool.Put(seen) }()
	try := func(n uint32) (score, bool) {
		if m.isDead(n) {
			return score{}, false
		}
		if _, dup := seen[n]; dup {
			return score{}, false
		}
		s, ok := m.match(n, q)
		if ok {
			tk.push(s)
			seen[n] = struct{}{}
		}
		return s, ok
	}
	// full reports whether no contact of tier that is not recently called
	// and has a num above n can enter the answer any more.
	full := func(tier int, n uint32) bool {
		if len(tk.out) < limit {
			return false
		}
		w := tk.out[len(tk.out)-1]
		return w.worst < tier || (w.worst == tier && (w.recent > 0 || w.num <= n))
	}
	// Contacts added since the last renumbering (pushed ones) are few and
	// out of order: check them all first.
	for n := m.sortedN; n < m.n(); n++ {
		try(n)
	}
	for _, n := range m.recentNums {
		try(n)
	}
	for it := m.iter(tokenKey(t)); ; {
		n, ok := it.next()
		if !ok || full(tierExact, n) {
			break
		}
		try(n)
	}
	var ws uint32
	if L == 1 {
		ws = wordStartKey(rs[0])
	} else {
		ws = gramKey(' ', rs[0], rs[1])
	}
	// Prefix candidates: the word-start list, for long terms intersected
	// on the fly with the term's rarest inner gram.
	lists := []uint32{ws}
	for i := 0; i+2 < L; i++ {
		lists = append(lists, gramKey(rs[i], rs[i+1], rs[i+2]))
	}
	slices.SortFunc(lists, func(a, b uint32) int { return m.postingLen(a) - m.postingLen(b) })
	lists = slices.Compact(lists)
	pi := m.cands(lists[:min(len(lists), 4)])
	for {
		n, ok := pi.next()
		if !ok || full(tierPrefix, n) {
			break
		}
		try(n)
	}
	if L >= 3 {
		// Infix candidates: the term's inner gram lists, intersected lazily.
		var inner []uint32
		for _, g := range lists {
			if g != ws && len(inner) < 4 {
				inner = append(inner, g)
			}
		}
		ii := m.cands(inner)
		for {
			n, ok := ii.next()
			if !ok || full(tierInfix, n) {
				break
			}
			try(n)
		}
		return tk.out, true
	}
	for n := uint32(0); n < m.sortedN; n++ {
		if full(tierInfix, n) {
			break
		}
		try(n)
	}
	return tk.out, true
}

// longTermCandidates returns a superset of the nums matching q, from the
// two shortest gram lists of its longest-listed term with three runes or
// more. ok is false when no term is that long.
func (m *memIndex) longTermCandidates(q *query) ([]uint32, bool) {
	var grams []uint32
	for _, t := range q.terms {
		rs := []rune(string(t))
		for i := 0; i+2 < len(rs); i++ {
			grams = append(grams, gramKey(rs[i], rs[i+1], rs[i+2]))
		}
	}
	if len(grams) == 0 {
		return nil, false
	}
	// Intersect the (up to) four shortest distinct lists: digit grams are
	// few and dense, so two lists alone leave many false candidates.
	slices.SortFunc(grams, func(a, b uint32) int { return m.postingLen(a) - m.postingLen(b) })
	grams = slices.Compact(grams)
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

func (m *memIndex) scratchList() []uint32 { return nil }

// trimQuery is the cache key form of a query string.
func trimQuery(q string) string { return strings.TrimSpace(q) }
