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
	if sc.m.isDead(n) {
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
// than tiers (worst, sum).
func (sc *sortedScan) full(worst, sum int, n uint32) bool {
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
	return w.recent > 0 || w.num <= n
}

// searchSortedTerms answers a query of several terms, one of them three
// runes or longer, on a book numbered in search order, without verifying
// every candidate. First the contacts having every term as a whole word,
// from the shortest of the terms' token lists: they rank (0, 0). Every
// other match has a worst tier and a tier sum of at least 1, so the
// candidates of the long terms' grams, read in num order, stop as soon as
// the answer holds enough matches ranking (1, 1) or better. When the
// candidates run out the match set is complete and is kept for the next
// keystroke. ok is false when no term is three runes long.
func (m *memIndex) searchSortedTerms(q *query, limit int) (searchResult, bool) {
	grams := m.queryGrams(q)
	if len(grams) == 0 {
		return searchResult{}, false
	}
	sc := newSortedScan(m, q, limit)
	defer sc.release()
	exact := tokenKey(q.terms[0])
	for _, t := range q.terms[1:] {
		if k := tokenKey(t); m.postingLen(k) < m.postingLen(exact) {
			exact = k
		}
	}
	for it := m.iter(exact); ; {
		n, ok := it.next()
		if !ok || sc.full(tierExact, tierExact, n) {
			break
		}
		sc.try(n)
	}
	for it := m.cands(grams[:min(len(grams), 4)]); ; {
		n, ok := it.next()
		if !ok {
			slices.Sort(sc.all)
			return searchResult{top: sc.tk.out, all: sc.all, complete: true}, true
		}
		if sc.full(tierPrefix, tierPrefix, n) {
			return searchResult{top: sc.tk.out}, true
		}
		sc.try(n)
	}
}

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
	sc := newSortedScan(m, q, limit)
	defer sc.release()
	try, full := sc.try, func(tier int, n uint32) bool { return sc.full(tier, tier, n) }
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
		return sc.tk.out, true
	}
	for n := uint32(0); n < m.sortedN; n++ {
		if full(tierInfix, n) {
			break
		}
		try(n)
	}
	return sc.tk.out, true
}
