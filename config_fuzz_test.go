package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzConfigFile: any config.toml gives settings or a clear error naming
// the file, never a panic, and its settings apply to every command's flags
// or fail with a usage error.
func FuzzConfigFile(f *testing.F) {
	f.Add([]byte("server = \"ws://127.0.0.1:7070\"\n[keys]\nanswer = \"a\"\n"))
	f.Add([]byte("vendor = 3\nheadless = \"maybe\"\n[a.b.c]\nd = [1, 2]\n"))
	f.Add([]byte("[[x]]\ny = 1e400\n"))
	f.Add([]byte("\xff = 1"))
	dir := f.TempDir()
	root := newRoot(&globals{})
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := loadConfigFile(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		for _, c := range append(root.Commands(), root) {
			_ = applySettings(c, m)
		}
	})
}
