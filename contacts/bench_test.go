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
