package contacts

import (
	"testing"
)

// BenchmarkSearchKeystroke replays typing one character at a time over a
// generated book; see bench/contacts for the 250k figures.
func BenchmarkSearchKeystroke(b *testing.B) {
	path, _ := writeCards(b, b.TempDir(), 20000, 0)
	book := openBook(b, b.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(b, book, path)
	typed := []string{"jennifer garcia", "+34 600 012", "user1234.x", "王", "org3 lu"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range typed {
			rs := []rune(s)
			for j := 1; j <= len(rs); j++ {
				if _, err := book.Search(string(rs[:j]), 20); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	path, _ := writeCards(b, b.TempDir(), 20000, 0)
	book := openBook(b, b.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(b, book, path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		book.Lookup("+34 600 012 345")
	}
}

// BenchmarkSearchRarePhonePrefix is the slowest keystroke of the typing
// session at a million cards: a number typed whole that few contacts
// start with, over a book where every contact has the same leading
// digits, so every digit 3-gram of the query is in every contact. Two
// queries alternate (neither extends the other, so no keystroke reuses
// the previous answer).
func BenchmarkSearchRarePhonePrefix(b *testing.B) {
	path, _ := writeCards(b, b.TempDir(), 50000, 0)
	book := openBook(b, b.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(b, book, path)
	qs := []string{"+34 600 049 99", "+34 600 049 98"} // +34 6 and eight digits of the card number: ten contacts each
	if cs, _ := book.Search(qs[0], 20); len(cs) != 10 {
		b.Fatalf("%q: %d contacts, want 10", qs[0], len(cs))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := book.Search(qs[i%2], 20); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchLastDigits: the last digits of a number someone
// remembers, which occur inside a phone token, never at its start.
func BenchmarkSearchLastDigits(b *testing.B) {
	path, _ := writeCards(b, b.TempDir(), 50000, 0)
	book := openBook(b, b.TempDir(), Options{DefaultCountry: "ES"})
	mustImport(b, book, path)
	qs := []string{"049991", "049981"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := book.Search(qs[i%2], 20); err != nil {
			b.Fatal(err)
		}
	}
}
