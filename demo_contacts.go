package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/agentty/agentty/bench/gen-vcf/vcfgen"
	"github.com/agentty/agentty/contacts"
)

// The demo's contact book: generated contacts and the simulated callers,
// in a book of its own so that the demo never touches the user's.
const (
	demoContacts    = 3000
	demoSeededMark  = "demo-seeded"
	demoCallerCount = 100 // sim's callers ring from +1 555 0100 .. 0199
)

// demoBookDir is where the demo keeps its contact book.
func demoBookDir() string { return filepath.Join(dataDir(), "demo", "contacts") }

// demoGiven and demoFamily name the simulated callers in the demo's
// book: caller i is demoGiven[i%10] demoFamily[i/10].
var (
	demoGiven  = []string{"Alice", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Irene", "Jamal"}
	demoFamily = []string{"Moreno", "Okafor", "Ruiz", "Volkov", "Sanz", "Haddad", "Lin", "Petit", "Costa", "Reed"}
)

// seedDemoBook fills dir with demoContacts generated contacts and one
// contact for each simulated caller's number, once: a mark file records
// that it was done, and a re-import would only update (Import never
// duplicates). It returns how many cards it imported (0 when seeded before).
func seedDemoBook(ctx context.Context, dir string) (int, error) {
	mark := filepath.Join(dir, demoSeededMark)
	if _, err := os.Stat(mark); err == nil {
		return 0, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("demo contacts: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, fmt.Errorf("demo contacts: %w", err)
	}
	vcf := filepath.Join(dir, "demo.vcf")
	if err := writeDemoCards(vcf); err != nil {
		return 0, err
	}
	defer os.Remove(vcf)
	book, err := contacts.Open(filepath.Join(dir, "index"), contacts.Options{DiskOnly: true})
	if err != nil {
		return 0, fmt.Errorf("demo contacts: %w", err)
	}
	sum, err := book.Import(ctx, vcf, nil)
	if cerr := book.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("demo contacts: %w", err)
	}
	if err := os.WriteFile(mark, nil, 0o600); err != nil {
		return 0, fmt.Errorf("demo contacts: %w", err)
	}
	return sum.Contacts, nil
}

// writeDemoCards writes the generated cards and the callers' cards to path.
func writeDemoCards(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("demo contacts: %w", err)
	}
	_, err = vcfgen.Write(f, demoContacts, vcfgen.Config{Seed: 14, BrokenEvery: -1})
	for i := 0; i < demoCallerCount && err == nil; i++ {
		name := demoGiven[i%10] + " " + demoFamily[i/10]
		_, err = fmt.Fprintf(f, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:demo-caller-%02d\r\nFN:%s\r\nORG:Demo customers\r\nTEL;TYPE=CELL:+1 555 01%02d\r\nEND:VCARD\r\n", i, name, i)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("demo contacts: write %s: %w", path, err)
	}
	return nil
}

// useDemoBook seeds the demo's book on the first run and points the
// console at it.
func (g *globals) useDemoBook(ctx context.Context) error {
	dir := demoBookDir()
	n, err := seedDemoBook(ctx, dir)
	if err != nil {
		return err
	}
	if n > 0 {
		g.log.Info("demo: contact book seeded", "dir", dir, "contacts", n)
	}
	g.bookDir = filepath.Join(dir, "index")
	return nil
}
