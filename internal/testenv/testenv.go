// Package testenv is the one rule for tests that need an outside program
// (Kamailio, baresip, sipp, Chromium, PulseAudio): when it cannot start,
// the test fails under CI=true and is skipped elsewhere (a developer's
// laptop without the packages).
package testenv

import (
	"fmt"
	"os"
	"testing"
)

// CI reports whether the tests run in CI (CI=true).
func CI() bool { return os.Getenv("CI") == "true" }

// Unavailable ends t because something it needs cannot start: t.Fatal
// under CI=true, t.Skip otherwise.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if CI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
