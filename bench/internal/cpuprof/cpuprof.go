// Package cpuprof starts the CPU profiles the bench programs write on
// request (-cpuprofile and the like).
package cpuprof

import (
	"os"
	"runtime/pprof"
)

// Start profiles this process into path until the returned function is
// called.
func Start(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
