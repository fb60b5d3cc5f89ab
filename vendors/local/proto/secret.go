package proto

import (
	"fmt"
	"os"
	"strings"
)

// ReadSecret returns v, or the contents of FILE (trimmed) when v is
// "@FILE": a token on the command line is visible to every user in ps, a
// path is not.
func ReadSecret(v string) (string, error) {
	path, ok := strings.CutPrefix(v, "@")
	if !ok {
		return v, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("local: read token: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("local: read token: %s is empty", path)
	}
	return s, nil
}
