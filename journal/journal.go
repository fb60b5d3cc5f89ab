// Package journal writes append-only logs of normalized events: one JSON
// line per event, the same lines `agentty --headless` prints, so a session
// or a whole centre can be replayed (`agentty replay`) or turned into a
// simulated day (`agentty simulate --arrivals`).
//
// Writing never blocks the caller: lines go through a bounded queue to a
// goroutine of the Journal's own. When the queue is full a line is dropped
// and counted; when the disk refuses a write, that is logged once and the
// journal goes on dropping until a write succeeds again. Files rotate by
// size and are removed after a number of days.
package journal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentty/agentty/session"
)

// Options configure a Journal. Zero fields take the defaults.
type Options struct {
	Dir      string // where the files go; created if missing
	Prefix   string // file names are PREFIX-YYYYMMDDTHHMMSS.jsonl
	MaxBytes int64  // rotate past this size; default 32 MiB
	KeepDays int    // remove files older than this; default 14
	Queue    int    // lines waiting to be written; default 8192
	Logger   *slog.Logger
	Now      func() time.Time // default time.Now
}

// Journal is one append-only log. Its methods are safe for concurrent use.
type Journal struct {
	o       Options
	lines   chan []byte
	done    chan struct{}
	closeMu sync.RWMutex
	closed  bool
	dropped atomic.Int64
	written atomic.Int64

	// Owned by the writer goroutine.
	f      *os.File
	w      *bufio.Writer
	size   int64
	failed bool
}

// Open creates the directory, removes expired files and starts the
// writer. The first file is created with the first line.
func Open(o Options) (*Journal, error) {
	if o.Dir == "" || o.Prefix == "" {
		return nil, errors.New("journal: no directory or prefix")
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 32 << 20
	}
	if o.KeepDays <= 0 {
		o.KeepDays = 14
	}
	if o.Queue <= 0 {
		o.Queue = 8192
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &Journal{o: o, lines: make(chan []byte, o.Queue), done: make(chan struct{})}
	j.expire()
	go j.run()
	return j, nil
}

// Event queues ev as a line. to names the user the event was for, in a
// centre's journal; it is written as a "to" field beside the event's own.
func (j *Journal) Event(to string, ev session.Event) {
	b, err := session.MarshalEvent(ev)
	if err != nil {
		j.dropped.Add(1)
		return
	}
	if to != "" && len(b) > 1 && b[0] == '{' {
		to, _ := json.Marshal(to)
		b = append(append(append([]byte(`{"to":`), to...), ','), b[1:]...)
	}
	j.queue(b)
}

// Line queues any value that marshals to a JSON object, e.g. a routing
// decision. It should carry "type" and "at" like an event does.
func (j *Journal) Line(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		j.dropped.Add(1)
		return
	}
	j.queue(b)
}

func (j *Journal) queue(b []byte) {
	j.closeMu.RLock()
	defer j.closeMu.RUnlock()
	if j.closed {
		j.dropped.Add(1)
		return
	}
	select {
	case j.lines <- b:
	default:
		j.dropped.Add(1)
	}
}

// Dropped is how many lines were lost (a full queue, a refused write).
func (j *Journal) Dropped() int64 { return j.dropped.Load() }

// Written is how many lines reached the file's buffer.
func (j *Journal) Written() int64 { return j.written.Load() }

// Close writes what is queued, closes the file and waits for the writer.
func (j *Journal) Close() error {
	j.closeMu.Lock()
	if j.closed {
		j.closeMu.Unlock()
		return nil
	}
	j.closed = true
	close(j.lines)
	j.closeMu.Unlock()
	<-j.done
	return nil
}

func (j *Journal) run() {
	defer close(j.done)
	flush := time.NewTicker(time.Second)
	defer flush.Stop()
	for {
		select {
		case b, ok := <-j.lines:
			if !ok {
				j.closeFile()
				return
			}
			j.write(b)
		case <-flush.C:
			if j.w != nil && j.w.Buffered() > 0 {
				j.check(j.w.Flush())
			}
		}
	}
}

func (j *Journal) write(b []byte) {
	if j.f == nil || j.size+int64(len(b))+1 > j.o.MaxBytes && j.size > 0 {
		j.rotate()
		if j.f == nil {
			j.dropped.Add(1)
			return
		}
	}
	_, err := j.w.Write(b)
	if err == nil {
		err = j.w.WriteByte('\n')
	}
	if err == nil && j.failed {
		err = j.w.Flush() // a buffered write proves nothing: ask the disk
	}
	if !j.check(err) {
		j.dropped.Add(1)
		return
	}
	j.size += int64(len(b)) + 1
	j.written.Add(1)
}

// check logs the first of a run of failures and the recovery after it.
func (j *Journal) check(err error) bool {
	switch {
	case err != nil && !j.failed:
		j.failed = true
		j.o.Logger.Error("journal: writing stopped; events are dropped until the disk takes them again", "dir", j.o.Dir, "err", err)
	case err == nil && j.failed:
		j.failed = false
		j.o.Logger.Info("journal: writing again", "dir", j.o.Dir, "dropped", j.dropped.Load())
	}
	if err != nil && j.w != nil {
		j.w.Reset(j.f) // drop the unwritten buffer rather than retry it forever
	}
	return err == nil
}

func (j *Journal) rotate() {
	j.closeFile()
	name := fmt.Sprintf("%s-%s.jsonl", j.o.Prefix, j.o.Now().UTC().Format("20060102T150405.000"))
	f, err := os.OpenFile(filepath.Join(j.o.Dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if !j.check(err) {
		return
	}
	j.f, j.w, j.size = f, bufio.NewWriterSize(f, 64<<10), 0
	j.expire()
}

func (j *Journal) closeFile() {
	if j.f == nil {
		return
	}
	if j.w.Buffered() > 0 {
		j.check(j.w.Flush())
	}
	j.f.Close()
	j.f, j.w = nil, nil
}

// expire removes this journal's files older than KeepDays.
func (j *Journal) expire() {
	files, _ := Files(j.o.Dir, j.o.Prefix)
	cut := j.o.Now().Add(-time.Duration(j.o.KeepDays) * 24 * time.Hour)
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.ModTime().Before(cut) {
			if err := os.Remove(f); err != nil {
				j.o.Logger.Warn("journal: expire", "file", f, "err", err)
			}
		}
	}
}

// Files lists the journal files of prefix in dir, oldest first.
func Files(dir, prefix string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !e.IsDir() && strings.HasPrefix(n, prefix+"-") && strings.HasSuffix(n, ".jsonl") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}
