package main

import (
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// dumpStacksOnSignal writes this process's goroutines, grouped by stack,
// to /tmp/relay-stacks-<role>-<pid>.txt each time it gets SIGUSR1: what
// a run that stalls (callers whose handshakes never finish) is waiting
// on, without ending it.
func dumpStacksOnSignal(role string) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	go func() {
		for range c {
			name := fmt.Sprintf("/tmp/relay-stacks-%s-%d.txt", role, os.Getpid())
			f, err := os.Create(name)
			if err != nil {
				log.Printf("relay: stacks: %v", err)
				continue
			}
			pprof.Lookup("goroutine").WriteTo(f, 1)
			f.Close()
			log.Printf("relay: goroutines written to %s", name)
		}
	}()
}
