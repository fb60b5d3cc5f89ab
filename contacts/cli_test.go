package contacts

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunImportCLIPlain(t *testing.T) {
	path, good := writeCards(t, t.TempDir(), 1200, 400)
	b := openBook(t, t.TempDir(), Options{DefaultCountry: "ES"})
	var out bytes.Buffer
	if err := RunImportCLI(context.Background(), b, path, &out, false, false); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"import cards-1200.vcf: 100%", "1,200 cards", "3 bad", "line 3127: card has no END:VCARD"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\r") || strings.Contains(s, "\x1b") {
		t.Errorf("plain output has terminal controls:\n%q", s)
	}
	if b.Count() != good {
		t.Errorf("Count = %d, want %d", b.Count(), good)
	}
}

func TestRunImportCLITTY(t *testing.T) {
	path, _ := writeCards(t, t.TempDir(), 300, 0)
	b := openBook(t, t.TempDir(), Options{})
	var out bytes.Buffer
	if err := RunImportCLI(context.Background(), b, path, &out, true, false); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "\r\x1b[2K") || !strings.Contains(s, "cards/s") || !strings.Contains(s, "300 added") {
		t.Errorf("tty output:\n%q", s)
	}
}

func TestRunImportCLIJSON(t *testing.T) {
	path, good := writeCards(t, t.TempDir(), 500, 100)
	b := openBook(t, t.TempDir(), Options{})
	var out bytes.Buffer
	if err := RunImportCLI(context.Background(), b, path, &out, true, true); err != nil {
		t.Fatal(err)
	}
	var sum Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if sum.Cards != 500 || sum.Bad != 5 || sum.Added != good || len(sum.BadCards) != 5 || sum.BadCards[0].Line == 0 {
		t.Errorf("summary %+v", sum)
	}
}

func TestRunImportCLIError(t *testing.T) {
	b := openBook(t, t.TempDir(), Options{})
	var out bytes.Buffer
	dir := t.TempDir()
	err := RunImportCLI(context.Background(), b, filepath.Join(dir, "nope.vcf"), &out, false, false)
	if err == nil || !strings.HasPrefix(err.Error(), "contacts: import nope.vcf:") {
		t.Errorf("err = %v", err)
	}
	if _, serr := os.Stat(filepath.Join(dir, "nope.vcf")); serr == nil {
		t.Error("import created the file")
	}
}

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
