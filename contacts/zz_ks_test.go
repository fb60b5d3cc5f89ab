package contacts

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestZZKeystrokes(t *testing.T) {
	book, err := Open("/tmp/ix250", Options{DefaultCountry: "ES"})
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	var all []Contact
	book.Each(func(c Contact) bool { all = append(all, c); return true })
	s := []string{"jennifer smith", "maria garcia", "jose ibanez", "王小明", "李", "acme logistics",
		"+34 600 000 12", "600-001-2", "(212) 000", "0034 900", "jenny5", "oscar.alvarez", "muñoz", "华为"}
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 16; i++ {
		c := all[r.IntN(len(all))]
		switch i % 4 {
		case 0:
			s = append(s, strings.ToLower(c.Name))
		case 1:
			if len(c.Emails) > 0 {
				s = append(s, strings.SplitN(c.Emails[0], "@", 2)[0])
			} else {
				s = append(s, c.Name)
			}
		case 2:
			p := c.Phones[0]
			s = append(s, p[:min(len(p), 9)])
		default:
			d := c.Digits[0]
			if len(d) > 6 {
				s = append(s, d[len(d)-6:])
			}
		}
	}
	type rec struct {
		q string
		d time.Duration
		n int
	}
	var recs []rec
	for _, typed := range s {
		rs := []rune(typed)
		for j := 1; j <= len(rs); j++ {
			t0 := time.Now()
			res, _ := book.Search(string(rs[:j]), 20)
			recs = append(recs, rec{string(rs[:j]), time.Since(t0), len(res)})
		}
	}
	for _, r := range recs {
		if r.d > 3*time.Millisecond {
			t.Logf("%-22q %2d %v", r.q, r.n, r.d)
		}
	}
}
