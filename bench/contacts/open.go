package main

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/agentty/agentty/contacts"
)

// mainStart is when main began: a child measures "searchable after start"
// from it.
var mainStart = time.Now()

// openResult is what an open child prints: how long after its start the
// book answered a search, where the index came from, and a hash of every
// answer of the typing session (the same answers, whichever way the index
// was loaded).
type openResult struct {
	Searchable time.Duration `json:"searchable_ns"`
	From       string        `json:"loaded_from"`
	Why        string        `json:"why_rebuilt,omitempty"`
	Answers    string        `json:"answers"`
	Contacts   int           `json:"contacts"`
}

// runOpenChild opens the book as the console does (tui.go: a background
// goroutine calls contacts.Open with Options.Background; the first frame
// does not wait) and asks for "jen" until it answers.
func runOpenChild(dir string) error {
	ready := make(chan *contacts.Book, 1)
	go func() {
		b, err := contacts.Open(dir, contacts.Options{DefaultCountry: "ES", Background: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench child: open:", err)
			ready <- nil
			return
		}
		ready <- b
	}()
	b := <-ready
	if b == nil {
		return fmt.Errorf("open failed")
	}
	defer b.Close()
	cs, err := b.Search("jen", 20)
	if err != nil || len(cs) == 0 {
		return fmt.Errorf("search jen after open: %d contacts, %v", len(cs), err)
	}
	res := openResult{Searchable: time.Since(mainStart), Contacts: b.Count()}
	from, why := b.LoadedFrom()
	res.From = from
	if why != nil {
		res.Why = why.Error()
	}
	var all []contacts.Contact
	b.Each(func(c contacts.Contact) bool { all = append(all, c); return true })
	h := fnv.New64a()
	for _, typed := range typingSession(all) {
		rs := []rune(typed)
		for i := 1; i <= len(rs); i++ {
			cs, err := b.Search(string(rs[:i]), 20)
			if err != nil {
				return err
			}
			for _, c := range cs {
				fmt.Fprintf(h, "%s\x00", c.ID)
			}
			h.Write([]byte{1})
		}
	}
	for _, c := range all[:min(len(all), 2000)] {
		for _, p := range c.Phones {
			got, _ := b.Lookup(p)
			fmt.Fprintf(h, "%s\x00", got.ID)
		}
	}
	res.Answers = fmt.Sprintf("%016x", h.Sum64())
	return json.NewEncoder(os.Stdout).Encode(res)
}

type openRun struct {
	res    openResult
	maxRSS int64
}

func childOpen(dir string) (openRun, error) {
	exe, err := os.Executable()
	if err != nil {
		return openRun{}, err
	}
	cmd := exec.Command(exe, "-child", "open", "-index", dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return openRun{}, fmt.Errorf("open child: %w", err)
	}
	var r openRun
	if err := json.Unmarshal(out, &r.res); err != nil {
		return r, fmt.Errorf("open child said %q: %w", out, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r, nil
}

// measureOpens times the console's start on the book in dir, runs times
// each: rebuilt from bleve (the typing file moved aside, as before it
// existed) and mapped from the typing file. Both must give the same
// answers.
func measureOpens(dir string, runs int) (rebuilt, mapped []openRun, err error) {
	typing := filepath.Join(dir, "typing.idx")
	aside := typing + ".aside"
	if err := os.Rename(typing, aside); err != nil {
		return nil, nil, fmt.Errorf("no typing file after the import: %w", err)
	}
	for i := 0; i < runs; i++ {
		os.Remove(typing) // a rebuilt run may have written it before it closed
		r, err := childOpen(dir)
		if err != nil {
			return nil, nil, err
		}
		if r.res.From != contacts.LoadedBleve {
			return nil, nil, fmt.Errorf("open without the typing file loaded from %q", r.res.From)
		}
		rebuilt = append(rebuilt, r)
	}
	if err := os.Rename(aside, typing); err != nil {
		return nil, nil, err
	}
	for i := 0; i < runs; i++ {
		r, err := childOpen(dir)
		if err != nil {
			return nil, nil, err
		}
		if r.res.From != contacts.LoadedTyping {
			return nil, nil, fmt.Errorf("open with the typing file loaded from %q (%s)", r.res.From, r.res.Why)
		}
		mapped = append(mapped, r)
	}
	for _, rs := range [][]openRun{rebuilt, mapped} {
		for _, r := range rs {
			if r.res.Answers != rebuilt[0].res.Answers || r.res.Contacts != rebuilt[0].res.Contacts {
				return nil, nil, fmt.Errorf("different answers: %+v vs %+v", r.res, rebuilt[0].res)
			}
		}
	}
	return rebuilt, mapped, nil
}

func printOpens(rebuilt, mapped []openRun, target string) {
	line := func(what string, rs []openRun, tgt string) {
		var ds []time.Duration
		var each []string
		var rss []int64
		for _, r := range rs {
			ds = append(ds, r.res.Searchable)
			each = append(each, fmt.Sprintf("%.0f", float64(r.res.Searchable)/1e6))
			rss = append(rss, r.maxRSS)
		}
		fmt.Printf("%-38s %14s %14s %16s\n", what, ms(pct(ds, 50)), "", tgt)
		fmt.Printf("%-38s %14s\n", "  each run (ms)", strings.Join(each, " "))
		var mr []string
		for _, v := range rss {
			mr = append(mr, fmt.Sprint(v>>20))
		}
		fmt.Printf("%-38s %14s\n", "  peak RSS of each (MB)", strings.Join(mr, " "))
	}
	line("console searchable: typing file", mapped, target)
	line("console searchable: rebuilt (before)", rebuilt, "")
	fmt.Printf("%-38s %14s\n", "same answers either way", "yes")
}
