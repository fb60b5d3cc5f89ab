package contacts

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the streaming vCard decoder: it must
// never panic, and every contact it decodes must survive
// decode -> encode (WriteVCard) -> decode unchanged.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/vcards/*.vcf")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte(crlf(rankCards)))
	f.Add([]byte("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:a=\n=C3=A9\nORG:x\\;y;z\nEND:VCARD\n"))
	f.Add([]byte("BEGIN:VCARD\nFN:a\\\\;b\\,c\\nd\nTEL;VALUE=uri:tel:+1;ext=2\nBEGIN:VCARD\nEND:VCARD"))
	f.Fuzz(func(t *testing.T, data []byte) {
		good, _ := decodeAll(t, string(data))
		for _, c := range good {
			var buf bytes.Buffer
			if err := WriteVCard(&buf, []Contact{c}); err != nil {
				t.Fatalf("encode %+v: %v", c, err)
			}
			again, bad := decodeAll(t, buf.String())
			if len(again) != 1 || len(bad) != 0 {
				t.Fatalf("round trip of %+v gave %+v, bad %v\n%s", c, again, bad, buf.String())
			}
			want := c
			if len(want.ID) > 2 && want.ID[:2] == "h:" {
				want.ID = ""
			}
			if !reflect.DeepEqual(again[0], want) {
				t.Fatalf("round trip changed the contact:\n was %+v\n got %+v\n%q", want, again[0], buf.String())
			}
		}
	})
}
