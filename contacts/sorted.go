package contacts

import (
	"slices"
	"sync"
)

var seenPool = sync.Pool{New: func() any { return make(map[uint32]struct{}, 64) }}

// sortedScan gathers the best matches of a query on a book numbered in
// search order (by name) in stages, each of which may stop early: within a
// tier, contacts that are not recently called rank by num. It first checks
// the few contacts out of that order: those added since the last
// renumbering (pushed ones) and the recently called ones.
type sortedScan struct {
	m    *memIndex
	q    *query
	tk   topK
	seen map[uint32]struct{}
	all  []uint32 // every match tried, in the order found
}

func newSortedScan(m *memIndex, q *query, limit int) *sortedScan {
	sc := &sortedScan{m: m, q: q, tk: topK{k: limit, m: m}, seen: seenPool.Get().(map[uint32]struct{})}
	for n := m.sortedN; n < m.n(); n++ {
		sc.try(n)
	}
	for _, n := range m.recentNums {
		sc.try(n)
	}
	return sc
}

func (sc *sortedScan) release() {
	clear(sc.seen)
	seenPool.Put(sc.seen)
	sc.seen = nil
}

// try checks num n once and keeps it if it matches.
func (sc *sortedScan) try(n uint32) (score, bool) {
	if sc.m.gone(n) {
		return score{}, false
	}
	if _, dup := sc.seen[n]; dup {
		return score{}, false
	}
	s, ok := sc.m.match(n, sc.q)
	if ok {
		sc.tk.push(s)
		sc.seen[n] = struct{}{}
		sc.all = append(sc.all, n)
	}
	return s, ok
}

// full reports whether the answer is complete for every contact not yet
// tried that is not recently called, has a num above n and ranks no better
// than (worst, sum, other).
func (sc *sortedScan) full(worst, sum, other int, n uint32) bool {
	if len(sc.tk.out) < sc.tk.k {
		return false
	}
	w := sc.tk.out[len(sc.tk.out)-1]
	if w.worst != worst {
		return w.worst < worst
	}
	if w.sum != sum {
		return w.sum < sum
	}
	if w.recent > 0 {
		return true // the recently called were all tried first
	}
	if w.other != other {
		return w.other < other
	}
	return w.num <= n
}

// nexter is a stream of nums in increasing order.
type nexter interface{ next() (uint32, bool) }

// drain tries the nums of it until the answer is full for contacts ranking
// no better than (worst, sum, other).
func (sc *sortedScan) drain(it nexter, worst, sum, other int) {
	for {
		n, ok := it.next()
		if !ok || sc.full(worst, sum, other, n) {
			return
		}
		sc.try(n)
	}
}

// searchSortedTerms answers a query of several terms, one of them three
// runes or longer, on a book numbered in search order, without verifying
// every candidate. Stage by stage, each bounding how well the contacts it
// has not read can rank (worst tier, tier sum, other), it reads in num
// order:
//
//   - the contacts having every term as a whole word of the name (from the
//     shortest of the terms' name token lists): (0, 0, 0);
//   - every term a whole word anywhere (the shortest token list): (0, 0, 1);
//   - every term starting a word of the name (the terms' name word-start
//     lists with the long terms' rarest grams): (1, 1, 0);
//   - the candidates of the long terms' grams, which hold every match.
//
// Each stage stops as soon as the answer holds enough contacts ranking
// better than what it has left. When the last one runs out the match set
// is complete and is kept for the next keystroke. ok is false when no term
// is three runes long.
func (m *memIndex) searchSortedTerms(q *query, limit int) (searchResult, bool) {
	grams := m.queryGrams(q)
	if len(grams) == 0 {
		return searchResult{}, false
	}
	sc := newSortedScan(m, q, limit)
	defer sc.release()
	// Every list read is a superset of its stage's contacts: the terms'
	// name lists and their lists anywhere both (a list shares its hash
	// bucket with other grams, so the intersection is the tighter one).
	var toks, nameToks, starts []uint32
	for _, t := range q.terms {
		k, s := tokenKey(t), startKey([]rune(string(t)))
		toks, nameToks = append(toks, k), append(nameToks, nameKey(k))
		starts = append(starts, nameKey(s), s)
	}
	sc.drain(m.cands(m.shortest(append(nameToks, toks...))), tierExact, tierExact, 0)
	sc.drain(m.cands(m.shortest(toks)), tierExact, tierExact, 1)
	sc.drain(m.cands(m.shortest(append(starts, grams[:min(len(grams), 2)]...))), tierPrefix, tierPrefix, 0)
	for it := m.cands(grams[:min(len(grams), 4)]); ; {
		n, ok := it.next()
		if !ok {
			slices.Sort(sc.all)
			return searchResult{top: sc.tk.out, all: sc.all, complete: true}, true
		}
		if sc.full(tierPrefix, tierPrefix, 1, n) {
			return searchResult{top: sc.tk.out}, true
		}
		sc.try(n)
	}
}

// byLength sorts keys by posting length, shortest first, and drops
// repeats.
func (m *memIndex) byLength(keys []uint32) []uint32 {
	slices.SortFunc(keys, func(a, b uint32) int { return m.postingLen(a) - m.postingLen(b) })
	return slices.Compact(keys)
}

// shortest returns the (up to) four shortest distinct lists of keys: the
// ones worth intersecting.
func (m *memIndex) shortest(keys []uint32) []uint32 {
	keys = m.byLength(keys)
	return keys[:min(len(keys), 4)]
}

// startKey is the gram of the first one or two runes of a word: the
// word-start gram for one rune, else the window (' ', first, second).
func startKey(rs []rune) uint32 {
	if len(rs) == 1 {
		return wordStartKey(rs[0])
	}
	return gramKey(' ', rs[0], rs[1])
}

// maxUnsorted is how many contacts added since the last renumbering (pushed
// ones, typically) searchSorted tolerates; each is checked on every query.
const maxUnsorted = 4096

// searchSorted answers a one-term query on a book numbered in search order
// without reading every match. Tier by tier, the name first (see
// score.other): the contacts having the term as a whole word of the name,
// as a whole word anywhere, as a prefix of a word of the name, of any word
// (the word-start list, for long terms intersected on the fly with the
// term's rarest inner grams), then the matches inside a word. Within a
// stage the rest rank by num (name order), so each stops as soon as the
// answer is full. ok is false only when the book is not in search order.
func (m *memIndex) searchSorted(q *query, limit int) ([]score, bool) {
	t := q.terms[0]
	sc := newSortedScan(m, q, limit)
	defer sc.release()
	tok, ws := tokenKey(t), startKey([]rune(string(t)))
	inner := m.queryGrams(q) // the term's inner grams
	// A name list and its list anywhere share their hash buckets with
	// other grams: their intersection is the tighter superset.
	sc.drain(m.cands(m.shortest([]uint32{nameKey(tok), tok})), tierExact, tierExact, 0)
	it := m.iter(tok)
	sc.drain(&it, tierExact, tierExact, 1)
	sc.drain(m.cands(m.shortest(append([]uint32{nameKey(ws), ws}, inner...))), tierPrefix, tierPrefix, 0)
	sc.drain(m.cands(m.shortest(append([]uint32{ws}, inner...))), tierPrefix, tierPrefix, 1)
	if len(inner) > 0 {
		// Infix candidates: the term's inner gram lists, intersected lazily.
		sc.drain(m.cands(m.shortest(inner)), tierInfix, tierInfix, 0)
		return sc.tk.out, true
	}
	for n := uint32(0); n < m.sortedN; n++ {
		if sc.full(tierInfix, tierInfix, 0, n) {
			break
		}
		sc.try(n)
	}
	return sc.tk.out, true
}
