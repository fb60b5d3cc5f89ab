//go:build !linux

package main

import "os"

// redirectStderr is a no-op where dup3 is not available.
func redirectStderr(*os.File) (func(), error) { return func() {}, nil }
