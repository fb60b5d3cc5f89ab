package main

import (
	"os"
	"syscall"
)

// redirectStderr points file descriptor 2 at f until the returned function
// restores it: C libraries under the audio layer (libasound, libpulse) print
// to stderr, and nothing may write to the terminal while the console runs.
func redirectStderr(f *os.File) (restore func(), err error) {
	saved, err := syscall.Dup(2)
	if err != nil {
		return func() {}, err
	}
	if err := syscall.Dup3(int(f.Fd()), 2, 0); err != nil {
		syscall.Close(saved)
		return func() {}, err
	}
	return func() {
		syscall.Dup3(saved, 2, 0)
		syscall.Close(saved)
	}, nil
}
