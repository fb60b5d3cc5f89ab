// Package contactstest makes vCard files for tests of the contact book and
// of the command line that imports them.
package contactstest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteCards writes n simple generated cards (every brokenEvery-th one
// without END:VCARD when brokenEvery > 0) and returns the path and the
// number of good cards.
func WriteCards(t testing.TB, dir string, n, brokenEvery int) (string, int) {
	t.Helper()
	var sb strings.Builder
	good := 0
	given := []string{"Jennifer", "María", "José", "Wei", "John", "Lucía", "Jenny", "Álvaro"}
	family := []string{"Doe", "García", "Ibáñez", "Smith", "Jenkins", "Muñoz", "王", "Li"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "BEGIN:VCARD\r\nVERSION:3.0\r\n")
		if i%2 == 0 {
			fmt.Fprintf(&sb, "UID:card-%d\r\n", i)
		}
		fmt.Fprintf(&sb, "FN:%s %s %d\r\n", given[i%len(given)], family[(i/len(given))%len(family)], i)
		fmt.Fprintf(&sb, "ORG:Org%d\r\n", i%7)
		fmt.Fprintf(&sb, "TEL;TYPE=CELL:+34 6%08d\r\n", i)
		if i%3 == 0 {
			fmt.Fprintf(&sb, "TEL;TYPE=WORK:(415) 5%02d-%04d\r\n", i%100, i%10000)
		}
		fmt.Fprintf(&sb, "EMAIL:user%d.x@example.com\r\n", i)
		if brokenEvery > 0 && i%brokenEvery == brokenEvery-1 {
			continue // no END:VCARD
		}
		good++
		sb.WriteString("END:VCARD\r\n")
	}
	p := filepath.Join(dir, fmt.Sprintf("cards-%d.vcf", n))
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, good
}
