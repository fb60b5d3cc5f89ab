package vcfgen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentty/agentty/contacts"
)

func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	sa, err := Write(&a, 3000, Config{Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, 3000, Config{Seed: 42}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different output")
	}
	if sa.Cards != 3000 || sa.Broken != 3 || sa.Good != 2997 {
		t.Errorf("stats %+v", sa)
	}
	for _, want := range []string{"VERSION:2.1", "ENCODING=QUOTED-PRINTABLE", "VERSION:4.0", "VERSION:3.0", "+34 6", "+86 13", "王", "ñ"} {
		if !bytes.Contains(a.Bytes(), []byte(want)) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestImportsAsAdvertised checks the generator against the importer: every
// good card becomes one contact and every broken one is reported.
func TestImportsAsAdvertised(t *testing.T) {
	var buf bytes.Buffer
	st, err := Write(&buf, 3000, Config{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "g.vcf")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := contacts.Open(t.TempDir(), contacts.Options{DefaultCountry: "ES"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sum, err := b.Import(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bad != st.Broken || sum.Contacts != st.Good {
		t.Errorf("summary %+v, generator %+v", sum, st)
	}
}
