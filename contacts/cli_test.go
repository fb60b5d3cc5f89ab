package contacts

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunSearchCLI(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	importString(t, b, "rank.vcf", rankCards)
	var out bytes.Buffer
	if err := RunSearchCLI(context.Background(), b, "jen", 2, &out, false); err != nil {
		t.Fatal(err)
	}
	want := "Jen Alvarez\t\t+34 911 000 001\t\nJennifer Doe\tAcme\t+34 666 555 444\tjdoe@example.com\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	if err := RunSearchCLI(context.Background(), b, "nobody", 0, &out, true); err != nil || strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("json no match: %q, %v", out.String(), err)
	}
}
