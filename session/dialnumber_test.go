package session_test

import (
	"testing"

	"github.com/agentty/agentty/session"
)

func TestDialNumber(t *testing.T) {
	for in, want := range map[string]string{
		"+34 917 370 192":     "+34917370192",
		"*72":                 "*72",
		"#31# 600 111 222":    "#31#600111222",
		"(555) 010-0199":      "(555)010-0199",
		"201":                 "201",
		" 600.111.222 ":       "600.111.222",
		"sip:bob@example.org": "sip:bob@example.org",
		"SIPS:ana@pbx.local":  "SIPS:ana@pbx.local",
		"tel:+34917370192":    "tel:+34917370192",
	} {
		got, ok := session.DialNumber(in)
		if !ok || got != want {
			t.Errorf("DialNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, name := range []string{"bob", "José Ibáñez", "", "*", "+", "sip:", "sip:bob smith", "call 911 now", "1+1"} {
		if got, ok := session.DialNumber(name); ok {
			t.Errorf("DialNumber(%q) = %q: a name taken for a number", name, got)
		}
	}
}

func FuzzDialNumber(f *testing.F) {
	for _, s := range []string{"+34 917 370 192", "*72", "bob", "sip:ana@pbx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := session.DialNumber(s)
		if !ok {
			return
		}
		if again, ok2 := session.DialNumber(n); !ok2 || again != n {
			t.Fatalf("DialNumber(%q) = %q, which is not a number of its own (%q %v)", s, n, again, ok2)
		}
	})
}
