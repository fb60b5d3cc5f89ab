package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/agentty/agentty/ui"
)

// memDir is an in-memory directory: a sorted index of lower-cased tokens
// (name words, organisation, phone digits), answered by binary search for
// the last word typed and filtered by the others.
type memDir struct {
	contacts []ui.Contact
	keys     []tok
	byPhone  map[string]int
}

type tok struct {
	s string
	i int32
}

var first = []string{"maria", "jose", "ana", "juan", "li", "wei", "john", "mary", "ahmed", "fatima", "olga", "ivan", "chen", "sofia", "lucas", "emma", "noah", "mia", "hugo", "lea"}
var last = []string{"garcia", "lopez", "smith", "wang", "zhang", "muller", "rossi", "silva", "kim", "nguyen", "martin", "brown", "jones", "perez", "sanchez", "novak", "kowalski", "dubois", "jensen", "tanaka"}
var orgs = []string{"Acme", "Initech", "Globex", "Umbrella", "Hooli", "Vandelay", "Soylent", "Stark", "Wayne", "Tyrell", ""}

func newMemDir(n int) *memDir {
	r := rand.New(rand.NewPCG(1, 2))
	d := &memDir{byPhone: make(map[string]int, n)}
	for i := range n {
		c := ui.Contact{
			ID:     fmt.Sprint(i),
			Name:   title(first[r.IntN(len(first))]) + " " + title(last[r.IntN(len(last))]) + fmt.Sprintf(" %d", i%997),
			Org:    orgs[r.IntN(len(orgs))],
			Phones: []string{fmt.Sprintf("+34%09d", r.IntN(1_000_000_000))},
		}
		d.contacts = append(d.contacts, c)
		d.byPhone[c.Phones[0]] = i
		for _, w := range strings.Fields(strings.ToLower(c.Name + " " + c.Org)) {
			d.keys = append(d.keys, tok{w, int32(i)})
		}
		d.keys = append(d.keys, tok{strings.TrimPrefix(c.Phones[0], "+"), int32(i)})
	}
	slices.SortFunc(d.keys, func(a, b tok) int { return strings.Compare(a.s, b.s) })
	return d
}

func (d *memDir) Search(q string, limit int) ([]ui.Contact, error) {
	words := strings.Fields(strings.ToLower(strings.NewReplacer("+", "", "-", "").Replace(q)))
	if len(words) == 0 {
		return nil, nil
	}
	lastw := words[len(words)-1]
	i, _ := slices.BinarySearchFunc(d.keys, lastw, func(t tok, s string) int { return strings.Compare(t.s, s) })
	var out []ui.Contact
	seen := map[int32]bool{}
	for ; i < len(d.keys) && strings.HasPrefix(d.keys[i].s, lastw) && len(out) < limit; i++ {
		c := d.contacts[d.keys[i].i]
		if seen[d.keys[i].i] {
			continue
		}
		ok := true
		hay := strings.ToLower(c.Name + " " + c.Org)
		for _, w := range words[:len(words)-1] {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			seen[d.keys[i].i] = true
			out = append(out, c)
		}
	}
	return out, nil
}

func (d *memDir) Lookup(n string) (ui.Contact, bool) {
	i, ok := d.byPhone[n]
	if !ok {
		return ui.Contact{}, false
	}
	return d.contacts[i], true
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
