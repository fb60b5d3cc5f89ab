package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFromSettings(t *testing.T) {
	km, st, err := FromSettings(map[string]string{
		"keys.answer": "A, f5", "keys.quit": ",", "colors.accent": "#5fafff", "server": "ignored",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := km.Answer.Keys(); len(got) != 2 || got[0] != "A" || got[1] != "f5" || km.Answer.Help().Key != "A" {
		t.Errorf("answer keys %v help %q", got, km.Answer.Help().Key)
	}
	if got := km.Quit.Keys(); len(got) != 1 || got[0] != "," {
		t.Errorf("quit keys %v", got)
	}
	if ansi.Strip(st.Key.Render("x")) != "x" {
		t.Errorf("style renders text differently")
	}
	_, _, err = FromSettings(map[string]string{"keys.nope": "x", "colors.pink": "5"})
	if err == nil || !strings.Contains(err.Error(), "nope") || !strings.Contains(err.Error(), "pink") {
		t.Errorf("err = %v", err)
	}
}

func TestDroppedPath(t *testing.T) {
	for in, want := range map[string]string{
		"/home/ana/contacts.vcf":      "/home/ana/contacts.vcf",
		"'/home/ana/my contacts.VCF'": "/home/ana/my contacts.VCF",
		`/home/ana/my\ contacts.vcf `: "/home/ana/my contacts.vcf",
		"file:///home/ana/a%20b.vcf":  "/home/ana/a b.vcf",
		"\"/tmp/x.vcf\"":              "/tmp/x.vcf",
	} {
		if got, ok := DroppedPath(in); !ok || got != want {
			t.Errorf("DroppedPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"hello", "/tmp/x.csv", "/a.vcf\n/b.vcf"} {
		if _, ok := DroppedPath(in); ok {
			t.Errorf("DroppedPath(%q) took it", in)
		}
	}
}
