package contacts

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzSearchAndLookup: any query typed in the search box and any caller-ID
// number from the wire gives results or nothing, never a panic, and never
// more than asked for.
func FuzzSearchAndLookup(f *testing.F) {
	for _, s := range []string{"jen", "Jennifer Doe", "+34 666 777 888", "0034666777888", "(415) 5", "王", "a\x00b", "\xff\xfe", "++", "*", "", "   "} {
		f.Add(s, "ES")
	}
	f.Add("666", "+34")
	f.Add("1", "zz")
	dir := f.TempDir()
	path, _ := writeCards(f, dir, 40, 0)
	books := map[string]*Book{}
	f.Cleanup(func() {
		for _, b := range books {
			b.Close()
		}
	})
	f.Fuzz(func(t *testing.T, q, country string) {
		if len(country) > 4 {
			country = country[:4]
		}
		b := books[country]
		if b == nil {
			var err error
			b, err = Open(filepath.Join(dir, "b", filepath.Base(path)+"."+hexName(country)), Options{DefaultCountry: country, Clock: newFakeClock()})
			if err != nil {
				return // a country the book refuses is a clear error at Open
			}
			if _, err := b.Import(context.Background(), path, nil); err != nil {
				t.Fatal(err)
			}
			books[country] = b
		}
		got, err := b.Search(q, 5)
		if err == nil && len(got) > 5 {
			t.Fatalf("Search(%q, 5) gave %d", q, len(got))
		}
		if c, ok := b.Lookup(q); ok && c.ID == "" {
			t.Fatalf("Lookup(%q) found a contact with no id", q)
		}
		_ = normalizePhone(q, region{}, false)
	})
}

func hexName(s string) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(s)+1)
	out = append(out, 'c')
	for i := 0; i < len(s); i++ {
		out = append(out, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(out)
}

// FuzzDecodeRec: any stored record decodes, and what it decodes to encodes
// and decodes to the same contact.
func FuzzDecodeRec(f *testing.F) {
	f.Add(encodeRec(&Contact{ID: "a", Name: "Ana", Phones: []string{"+1 555"}, Digits: []string{"1555"}, Source: "file"}))
	f.Add("")
	f.Add(recSep + recSep + listSep)
	f.Fuzz(func(t *testing.T, s string) {
		c := decodeRec(s)
		if len(c.Digits) < len(c.Phones) {
			t.Fatalf("%d digits for %d phones", len(c.Digits), len(c.Phones))
		}
		_ = recID([]byte(s))
		_ = recSource([]byte(s))
		if !utf8.ValidString(s) {
			return
		}
		c2 := decodeRec(encodeRec(&c))
		if c2.ID != c.ID || c2.Name != c.Name || c2.Source != c.Source || len(c2.Phones) != len(c.Phones) {
			t.Fatalf("round trip: %+v then %+v", c, c2)
		}
	})
}

// FuzzImportCheckpoint: an import checkpoint and batch records read back
// from the index (a crash, a disk error or another version may leave
// anything there) never crash a resumed import: it resumes, starts over or
// fails with an error.
func FuzzImportCheckpoint(f *testing.F) {
	f.Add(int64(0), 0, 0, int64(0), int64(0), 0, []byte(`{}`))
	f.Add(int64(200), 9, 2, int64(0), int64(200), 1, []byte(`{"run":"r","seq":3,"start":-5,"end":99999999}`))
	f.Add(int64(-1), -7, -3, int64(-10), int64(1<<62), -1, []byte(`not json`))
	f.Add(int64(1<<40), 1<<30, 1<<30, int64(5), int64(3), 0, []byte(`{"run":"r","seq":1,"delta":{"cards":-9}}`))
	dir := f.TempDir()
	path, _ := writeCards(f, dir, 12, 5)
	abs, _ := filepath.Abs(path)
	fh, err := os.Open(path)
	if err != nil {
		f.Fatal(err)
	}
	head, err := headHash(fh)
	st, _ := fh.Stat()
	fh.Close()
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	f.Fuzz(func(t *testing.T, off int64, line, seq int, start, end int64, recSeq int, raw []byte) {
		n++
		b, err := Open(filepath.Join(dir, "books", hexName(string(rune('a'+n%26)))+itoaFuzz(n)), Options{Clock: newFakeClock(), BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		cp, _ := json.Marshal(checkpoint{Path: abs, Size: st.Size(), Head: head, Offset: off, Line: line, Run: "r", Seq: seq,
			Sum: Summary{Cards: line, Bad: seq}})
		rec, _ := json.Marshal(batchRecord{Run: "r", Seq: recSeq, Start: start, End: end, EndLine: line})
		if err := b.idx.SetInternal(checkpointKey, cp); err != nil {
			t.Fatal(err)
		}
		_ = b.idx.SetInternal(recordKey(seq), rec)
		_ = b.idx.SetInternal(recordKey(seq+1), raw)
		sum, err := b.Import(context.Background(), path, nil)
		if err == nil && sum.Cards < 0 {
			t.Fatalf("negative card count %+v", sum)
		}
		if _, err := b.Search("jen", 5); err != nil && err != ErrClosed {
			t.Fatalf("search after the import: %v", err)
		}
	})
}

func itoaFuzz(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
