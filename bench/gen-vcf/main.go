// Command gen-vcf writes N deterministic, realistic vCards (Spanish,
// English and Chinese names, organisations, 1-3 phones in varied formats,
// e-mails, some vCard 2.1 cards, a few broken ones) for the contacts
// benchmark and manual tests.
//
//	go run ./bench/gen-vcf -n 250000 -o /tmp/contacts.vcf
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/agentty/agentty/bench/gen-vcf/vcfgen"
)

func main() {
	n := flag.Int("n", 1000, "number of cards")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same file)")
	out := flag.String("o", "-", "output file (- for stdout)")
	brokenEvery := flag.Int("broken-every", 1000, "every Nth card is broken (negative: none)")
	flag.Parse()
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen-vcf:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	st, err := vcfgen.Write(w, *n, vcfgen.Config{Seed: *seed, BrokenEvery: *brokenEvery})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-vcf:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gen-vcf: %d cards, %d broken, %d valid contacts\n", st.Cards, st.Broken, st.Good)
}
