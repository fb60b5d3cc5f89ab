package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentty/agentty/contacts"
	"github.com/agentty/agentty/contacts/contactstest"
)

// openTestBook opens an empty book.
func openTestBook(t *testing.T, country string) *contacts.Book {
	t.Helper()
	b, err := contacts.Open(t.TempDir(), contacts.Options{DefaultCountry: country})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestRunImportCLIPlain(t *testing.T) {
	path, good := contactstest.WriteCards(t, t.TempDir(), 1200, 400)
	b := openTestBook(t, "ES")
	var out bytes.Buffer
	if err := runImportCLI(context.Background(), b, path, &out, false, false); err != nil {
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
	path, _ := contactstest.WriteCards(t, t.TempDir(), 300, 0)
	b := openTestBook(t, "")
	var out bytes.Buffer
	if err := runImportCLI(context.Background(), b, path, &out, true, false); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "\r\x1b[2K") || !strings.Contains(s, "cards/s") || !strings.Contains(s, "300 added") {
		t.Errorf("tty output:\n%q", s)
	}
}

func TestRunImportCLIJSON(t *testing.T) {
	path, good := contactstest.WriteCards(t, t.TempDir(), 500, 100)
	b := openTestBook(t, "")
	var out bytes.Buffer
	if err := runImportCLI(context.Background(), b, path, &out, true, true); err != nil {
		t.Fatal(err)
	}
	var sum contacts.Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if sum.Cards != 500 || sum.Bad != 5 || sum.Added != good || len(sum.BadCards) != 5 || sum.BadCards[0].Line == 0 {
		t.Errorf("summary %+v", sum)
	}
}

func TestRunImportCLIError(t *testing.T) {
	b := openTestBook(t, "")
	var out bytes.Buffer
	dir := t.TempDir()
	err := runImportCLI(context.Background(), b, filepath.Join(dir, "nope.vcf"), &out, false, false)
	if err == nil || !strings.HasPrefix(err.Error(), "contacts: import nope.vcf:") {
		t.Errorf("err = %v", err)
	}
	if _, serr := os.Stat(filepath.Join(dir, "nope.vcf")); serr == nil {
		t.Error("import created the file")
	}
}
