package contacts

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRealVCards imports every file exported by a real address book (see
// testdata/vcards/SOURCES.md): each card must import, none may be bad, and
// the expected people must be found by name and by phone.
func TestRealVCards(t *testing.T) {
	type want struct {
		name, phone string // phone: as written, "" when the card has none
	}
	tests := map[string]struct {
		cards int
		want  []want
	}{
		"mangstadt_John_Doe_ANDROID.vcf":     {6, []want{{"Ñ Ñ Ñ Ñ Ñ", "123456789"}, {"ÑÑÑÑ", "55556666"}}},
		"mangstadt_John_Doe_BLACK_BERRY.vcf": {1, []want{{"John Doe", "+96123456789"}}},
		"mangstadt_John_Doe_EVOLUTION.vcf":   {1, []want{{"Mr. John Richter, James Doe Sr.", "905-666-1234"}}},
		"mangstadt_John_Doe_GMAIL.vcf":       {1, []want{{"Mr. John Richter, James Doe Sr.", "905-555-1234"}}},
		"mangstadt_John_Doe_MS_OUTLOOK.vcf":  {1, []want{{"Mr. John Richter James Doe Sr.", "(905) 555-1234"}}},
		"mangstadt_gmail-list.vcf":           {3, []want{{"Arnold Smith", ""}, {"Chris Beatle", ""}, {"Doug White", ""}}},
		"mangstadt_gmail-single.vcf":         {1, []want{{"Greg Dartmouth", "555 555 1111"}}},
		"mangstadt_outlook-2003.vcf":         {1, []want{{"John Doe III", "BusinessPhone"}}},
		"mangstadt_outlook-2007.vcf":         {1, []want{{"Mr. Michael Angstadt Jr.", "(111) 555-1111"}}},
		"mangstadt_rfc2426-example.vcf":      {2, []want{{"Frank Dawson", "+1-919-676-9515"}, {"Tim Howes", "+1-415-528-4164"}}},
		"mangstadt_rfc6350-example.vcf":      {1, []want{{"Simon Perreault", "tel:+1-418-656-9254;ext=102"}}},
		"pohly_Google-Gmail.vcf":             {1, []want{{"Mr. John 1 Doe Sr.", "business 1"}}},
		"pohly_eds_contact.vcf":              {17, []want{{"Umlaut Ä Ö Ü ß", ""}, {"Mr. First ; special ; middle Last", ""}, {"John Doe", "business 1"}}},
	}
	files, err := filepath.Glob("testdata/vcards/*.vcf")
	if err != nil || len(files) != len(tests) {
		t.Fatalf("testdata has %d files (%v), the table %d", len(files), err, len(tests))
	}
	for _, f := range files {
		base := filepath.Base(f)
		tt, ok := tests[base]
		if !ok {
			t.Errorf("%s: no expectations", base)
			continue
		}
		t.Run(base, func(t *testing.T) {
			before, _ := os.ReadFile(f)
			b := openBook(t, t.TempDir(), Options{DefaultCountry: "US"})
			sum := mustImport(t, b, f)
			if sum.Bad != 0 || sum.Cards != tt.cards || sum.Added != tt.cards {
				t.Errorf("summary %+v, want %d cards all added", sum, tt.cards)
			}
			for _, w := range tt.want {
				got, err := b.Search(w.name, 50)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(got, func(c Contact) bool { return c.Name == w.name })
				if i < 0 {
					t.Errorf("Search(%q) = %q, want it", w.name, names(got))
					continue
				}
				if w.phone != "" && !slices.Contains(got[i].Phones, w.phone) {
					t.Errorf("%q phones = %q, want %q", w.name, got[i].Phones, w.phone)
				}
				if d := normalizePhone(w.phone, b.country, b.hasCC); d != "" {
					if c, ok := b.Lookup(w.phone); !ok || !slices.Contains(c.Phones, w.phone) {
						t.Errorf("Lookup(%q) = %+v, %v", w.phone, c, ok)
					}
				}
			}
			after, _ := os.ReadFile(f)
			if string(before) != string(after) {
				t.Errorf("import modified %s", base)
			}
		})
	}
}
