package contacts

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// plainCards are cards of the shapes a large export has (3.0, 4.0, 2.1
// bare types, groups, escapes) and of shapes the plain path must decline
// (quoted parameters, encodings, charsets, preferred names, bad cards).
const plainCards = `BEGIN:VCARD
VERSION:4.0
FN:刘敏
N:刘;敏;;;
ORG:Zenith Energía LLC
TEL;TYPE=CELL:600-000-000
EMAIL;TYPE=INTERNET:user83@yahoo.es
END:VCARD
BEGIN:VCARD
VERSION:2.1
UID:urn:uuid:00000003-dcac-4238-8b00-b779307f98a2
FN:William Wright
N:Wright;William;;;
ORG:Initech Partners
TEL;CELL:0034 900 000090
TEL;HOME;VOICE;8BIT:+1 555 0100
EMAIL;INTERNET:william52@163.com
END:VCARD
BEGIN:VCARD
VERSION:3.0
item1.TEL;type=pref:+34 911 000 002
item1.X-ABLabel:work
uid:  spaced-uid  
n:Doe;John;Q;Dr.;Jr.
org:A\;B;;C\,D\\;E\nF
email:  
EMAIL:x@y.z
photo;ENCODING=b:AAAA
NOTE;ENCODING=QUOTED-PRINTABLE:=ZZ
END:VCARD
BEGIN:VCARD
FN:a\\;b\,c\nd\N
FN:second
TEL;VALUE=uri:tel:+1;ext=2
END:VCARD
BEGIN:VCARD
FN;PREF=2:second
FN;PREF=1:first
END:VCARD
BEGIN:VCARD
FN;TYPE=pref:typed
TEL:1
END:VCARD
BEGIN:VCARD
TEL;TYPE="cell,voice":+1 555 0101
FN:Quoted Param
END:VCARD
BEGIN:VCARD
FN;ENCODING=QUOTED-PRINTABLE:a=
=C3=A9
END:VCARD
BEGIN:VCARD
FN;CHARSET=ISO-8859-1:Jos` + "\xe9" + `
END:VCARD
BEGIN:VCARD
FN:Jos` + "\xe9" + `
END:VCARD
BEGIN:VCARD
 item2.TEL:+1 555 0102
FN:Leading Space
END:VCARD
BEGIN:VCARD
FN:No Colon
TEL
END:VCARD
BEGIN:VCARD
VERSION:3.0
NOTE:nothing to keep
END:VCARD
BEGIN:VCARD
` + "\u212a" + `N:Kelvin
FN:kelvin sign
END:VCARD
BEGIN:VCARD
FN:cut short
BEGIN:VCARD
FN:after the cut
END:VCARD
`

// compareDecoders decodes every card of src by both paths and fails when
// the plain path gives a contact that the general path does not. It
// returns how many cards the plain path read.
func compareDecoders(t *testing.T, src string) (plain, cards int) {
	t.Helper()
	sc := newCardScanner(strings.NewReader(src), 0, 0)
	dec := newCardDecoder()
	for {
		rc, err := sc.next()
		if errors.Is(err, io.EOF) {
			return plain, cards
		}
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		cards++
		got, ok := decodePlain(rc)
		want, err := dec.decodeGeneral(rc)
		if !ok {
			continue
		}
		plain++
		if err != nil {
			t.Fatalf("card at line %d: plain path read %+v, the general path rejects it: %v", rc.line, got, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("card at line %d:\nplain   %#v\ngeneral %#v", rc.line, got, want)
		}
	}
}

func TestDecodePlainAgrees(t *testing.T) {
	plain, cards := compareDecoders(t, plainCards)
	crPlain, crCards := compareDecoders(t, crlf(plainCards))
	// The first four, "typed" and "kelvin sign" are plain; the rest must
	// be declined.
	if plain != 6 || cards != 16 || crPlain != plain || crCards != cards {
		t.Errorf("plain path read %d of %d cards (CRLF: %d of %d), want 6 of 16", plain, cards, crPlain, crCards)
	}
	files, _ := filepath.Glob("testdata/vcards/*.vcf")
	if len(files) == 0 {
		t.Fatal("no testdata/vcards")
	}
	total, totalPlain := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, n := compareDecoders(t, string(b))
		total += n
		totalPlain += p
	}
	t.Logf("real cards: %d of %d read by the plain path", totalPlain, total)
}

// FuzzDecodePlain: whatever the plain path reads, the general path
// (cleanLine and go-vcard) reads the same.
func FuzzDecodePlain(f *testing.F) {
	files, _ := filepath.Glob("testdata/vcards/*.vcf")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(plainCards))
	f.Add([]byte(crlf(plainCards)))
	f.Add([]byte(crlf(rankCards)))
	f.Fuzz(func(t *testing.T, data []byte) {
		compareDecoders(t, string(data))
	})
}

// FuzzIsQPLine: the in-place comparison gives what upper-casing the
// line's head and searching it gave.
func FuzzIsQPLine(f *testing.F) {
	for _, s := range []string{"FN;ENCODING=QUOTED-PRINTABLE:a", "fn;quoted-printable:x", "FN;CHARSET=x:QUOTED-PRINTABLE",
		"N;ENCODING=QUOTED-PR\u0131NTABLE:x", "TEL:1", "quoted-printable", "X;QUOTED-PRINTABL:E"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, l []byte) {
		want := false
		if colon := bytes.IndexByte(l, ':'); colon >= 0 {
			want = bytes.Contains(bytes.ToUpper(l[:colon]), []byte("QUOTED-PRINTABLE"))
		}
		if got := isQPLine(l); got != want {
			t.Fatalf("isQPLine(%q) = %v, want %v", l, got, want)
		}
	})
}
