package contacts

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// decodeAll runs the streaming scanner and decoder over src and returns the
// good contacts and the bad cards, as Import sees them.
func decodeAll(t testing.TB, src string) ([]Contact, []BadCard) {
	t.Helper()
	sc := newCardScanner(strings.NewReader(src), 0, 0)
	dec := newCardDecoder()
	var good []Contact
	var bad []BadCard
	for {
		rc, err := sc.next()
		if errors.Is(err, io.EOF) {
			return good, bad
		}
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		c, err := dec.decodeCard(rc)
		if err != nil {
			bad = append(bad, badCard(rc, err))
			continue
		}
		good = append(good, c)
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestDecodeCards(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Contact
		bad  []int // lines of bad cards
	}{
		{
			name: "3.0 basic",
			src: crlf(`BEGIN:VCARD
VERSION:3.0
UID:abc-1
FN:Jennifer Doe
N:Doe;Jennifer;;;
ORG:Acme Inc.;Sales
TEL;TYPE=CELL:+34 666 555 444
TEL;TYPE=WORK:+34-666-777-888
EMAIL;TYPE=INTERNET:jen.doe@example.com
END:VCARD
`),
			want: []Contact{{ID: "abc-1", Name: "Jennifer Doe", Org: "Acme Inc., Sales", Phones: []string{"+34 666 555 444", "+34-666-777-888"}, Emails: []string{"jen.doe@example.com"}, Source: SourceImport}},
		},
		{
			name: "4.0 tel uri with extension, pref params, lower-case names",
			src: crlf(`begin:vcard
version:4.0
fn:Simon Perreault
tel;pref=1;type=work,voice;value=uri:tel:+1-418-656-9254;ext=102
email;type=work:simon.perreault@viagenie.ca
end:vcard
`),
			want: []Contact{{Name: "Simon Perreault", Phones: []string{"tel:+1-418-656-9254;ext=102"}, Emails: []string{"simon.perreault@viagenie.ca"}, Source: SourceImport}},
		},
		{
			name: "folded lines, space and tab",
			src: crlf(`BEGIN:VCARD
VERSION:3.0
FN:Mar
 ía José
ORG:Very Long Organisation 
	Name
TEL:+1 555
  0100
END:VCARD
`),
			want: []Contact{{Name: "María José", Org: "Very Long Organisation Name", Phones: []string{"+1 555 0100"}, Source: SourceImport}},
		},
		{
			name: "2.1 bare parameters",
			src: crlf(`BEGIN:VCARD
VERSION:2.1
N:Smith;John
FN:John Smith
TEL;HOME;VOICE:555-1234
TEL;CELL:555-9876
EMAIL;INTERNET;PREF:john@example.com
END:VCARD
`),
			want: []Contact{{Name: "John Smith", Phones: []string{"555-1234", "555-9876"}, Emails: []string{"john@example.com"}, Source: SourceImport}},
		},
		{
			name: "2.1 quoted-printable UTF-8 with soft line break",
			src: crlf(`BEGIN:VCARD
VERSION:2.1
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Mar=C3=ADa Jos=C3=A9 Ib=C3=A1=C3=B1ez Mu=
=C3=B1oz
TEL;CELL:+34 600 000 001
END:VCARD
`),
			want: []Contact{{Name: "María José Ibáñez Muñoz", Phones: []string{"+34 600 000 001"}, Source: SourceImport}},
		},
		{
			name: "2.1 quoted-printable ISO-8859-1, bare QUOTED-PRINTABLE",
			src: crlf(`BEGIN:VCARD
VERSION:2.1
N;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:G=F3mez;Ra=FAl
TEL:912345678
END:VCARD
`),
			want: []Contact{{Name: "Raúl Gómez", Phones: []string{"912345678"}, Source: SourceImport}},
		},
		{
			name: "2.1 Windows-1252 bytes without charset",
			src:  "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Fran\xe7ois \x80uro\r\nEND:VCARD\r\n",
			want: []Contact{{Name: "François €uro", Source: SourceImport}},
		},
		{
			name: "Chinese name, N only, group prefixes, base64 photo skipped",
			src: crlf(`BEGIN:VCARD
VERSION:3.0
N:王;小明;;;
item1.TEL:+86 138 0013 8000
item1.X-ABLabel:mobile
PHOTO;ENCODING=b;TYPE=JPEG:MIICajCCAdOgAwIBAgICBEUwDQYJKoZIhvcNAQEEBQAwdzELMAkGA1UEBhMCVVMx
 LDAqBgNVBAoTI05ldHNjYXBlIENvbW11bmljYXRpb25zIENvcnBvcmF0aW9uMRww
END:VCARD
`),
			want: []Contact{{Name: "小明 王", Phones: []string{"+86 138 0013 8000"}, Source: SourceImport}},
		},
		{
			name: "no name: e-mail only card keeps the e-mail",
			src:  crlf("BEGIN:VCARD\nVERSION:4.0\nEMAIL;PREF=1:john.doe@company.com\nEND:VCARD\n"),
			want: []Contact{{Emails: []string{"john.doe@company.com"}, Source: SourceImport}},
		},
		{
			name: "LF endings, text before and between cards, escaped comma",
			src:  "junk\n\nBEGIN:VCARD\nVERSION:3.0\nFN:Doe\\, John\nEND:VCARD\nnoise\nBEGIN:VCARD\nVERSION:3.0\nFN:B\nEND:VCARD\n",
			want: []Contact{{Name: "Doe, John", Source: SourceImport}, {Name: "B", Source: SourceImport}},
		},
		{
			name: "missing END: bad, next card still read",
			src:  crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Lost\nBEGIN:VCARD\nVERSION:3.0\nFN:Found\nEND:VCARD\n"),
			want: []Contact{{Name: "Found", Source: SourceImport}},
			bad:  []int{1},
		},
		{
			name: "missing END at end of file",
			src:  crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Good\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Cut\n"),
			want: []Contact{{Name: "Good", Source: SourceImport}},
			bad:  []int{5},
		},
		{
			name: "property without colon: bad at that line",
			src:  crlf("BEGIN:VCARD\nVERSION:3.0\nFN:X\nTHIS IS BROKEN\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Y\nEND:VCARD\n"),
			want: []Contact{{Name: "Y", Source: SourceImport}},
			bad:  []int{4},
		},
		{
			name: "bad quoted-printable in the name",
			src:  crlf("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:bad =ZZ\nEND:VCARD\n"),
			bad:  []int{3},
		},
		{
			name: "empty card",
			src:  crlf("BEGIN:VCARD\nVERSION:3.0\nNOTE:nothing useful\nEND:VCARD\n"),
			bad:  []int{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good, bad := decodeAll(t, tt.src)
			if !reflect.DeepEqual(good, tt.want) {
				t.Errorf("contacts:\n got %+v\nwant %+v", good, tt.want)
			}
			var lines []int
			for _, b := range bad {
				lines = append(lines, b.Line)
			}
			if !reflect.DeepEqual(lines, tt.bad) {
				t.Errorf("bad card lines = %v (%v), want %v", lines, bad, tt.bad)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	es, _ := resolveCountry("ES")
	us, _ := resolveCountry("US")
	gb, _ := resolveCountry("+44")
	tests := []struct {
		in      string
		country region
		has     bool
		want    string
	}{
		{"+34 666 555 444", es, true, "34666555444"},
		{"666-555-444", es, true, "34666555444"},
		{"0034 666 555 444", es, true, "34666555444"},
		{"34666555444", es, true, "34666555444"},
		{"(415) 555-0100", us, true, "14155550100"},
		{"1.415.555.0100", us, true, "14155550100"},
		{"011 44 20 7946 0000", us, true, "442079460000"},
		{"020 7946 0000", gb, true, "442079460000"},
		{"tel:+1-418-656-9254;ext=102", us, true, "14186569254"},
		{"+1 555 0100 x12", us, true, "15550100"},
		{"555-0100", region{}, false, "5550100"},
		{"mobile", es, true, ""},
		{"12", es, true, ""},
	}
	for _, tt := range tests {
		if got := normalizePhone(tt.in, tt.country, tt.has); got != tt.want {
			t.Errorf("normalizePhone(%q, %s) = %q, want %q", tt.in, tt.country.cc, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"María José Ibáñez":  "maria jose ibanez",
		"  ÅNGSTRÖM--Œuvre ": "angstrom oeuvre",
		"王小明":                "王小明",
		"jen.doe_2":          "jen doe 2",
		"Straße":             "strasse",
		"Mu\u0301ller":       "muller", // decomposed accent
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// A card go-vcard stops reading in the middle of (a kept property on a
// line starting with a space folds into BEGIN:VCARD) is bad, and the
// cards after it are read whole: the rest of it used to stay in the
// decoder's buffer and spoil the next card.
func TestDecodeAfterGoVcardError(t *testing.T) {
	src := crlf("BEGIN:VCARD\n item2.TEL:+1 555 0102\nFN:Leading Space\nEND:VCARD\n" +
		"BEGIN:VCARD\nFN;PREF=1:Next One\nTEL:+1 555 0103\nEND:VCARD\n")
	good, bad := decodeAll(t, src)
	if len(bad) != 1 || bad[0].Line != 1 {
		t.Errorf("bad = %+v, want the card at line 1", bad)
	}
	want := []Contact{{Name: "Next One", Phones: []string{"+1 555 0103"}, Source: SourceImport}}
	if !reflect.DeepEqual(good, want) {
		t.Errorf("good = %+v, want %+v", good, want)
	}
}
