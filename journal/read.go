package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/agentty/agentty/session"
)

// Entry is one line of a journal.
type Entry struct {
	Line  int
	To    string    // the user the event was for (a centre's journal), or ""
	Type  string    // the line's "type"
	At    time.Time // the line's "at"
	Event session.Event
	// Raw is the line itself, kept for a type this version does not know
	// (a newer version's event, a routing decision).
	Raw json.RawMessage
}

// Known reports whether the entry decoded to a session event.
func (e Entry) Known() bool { return e.Event != nil }

// Log is a read journal.
type Log struct {
	Entries []Entry
	// Unknown counts the lines of each type this version does not know.
	Unknown map[string]int
	// Bad lists the lines that are not JSON objects with a type and a
	// time, by line number, with why.
	Bad []string
}

// Read reads a journal. Lines it cannot use are counted in Bad and
// skipped; a line longer than 1 MiB is an error.
func Read(r io.Reader) (*Log, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	l := &Log{Unknown: map[string]int{}}
	for n := 1; sc.Scan(); n++ {
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		e := Entry{Line: n, To: party(b)}
		ev, err := session.UnmarshalEvent(b)
		if err == nil { // the common case: one decoding of the line
			e.Type, e.At, e.Event = string(ev.Type()), ev.Time(), ev
			l.Entries = append(l.Entries, e)
			continue
		}
		var head struct {
			Type string    `json:"type"`
			At   time.Time `json:"at"`
		}
		if herr := json.Unmarshal(b, &head); herr != nil || head.Type == "" {
			if herr == nil {
				herr = errors.New("no type")
			}
			l.Bad = append(l.Bad, fmt.Sprintf("line %d: %v", n, herr))
			continue
		}
		e.Type, e.At = head.Type, head.At
		if !errors.Is(err, session.ErrUnknownEvent) {
			l.Bad = append(l.Bad, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		l.Unknown[head.Type]++
		e.Raw = append(json.RawMessage(nil), b...)
		l.Entries = append(l.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return l, fmt.Errorf("journal: read: %w", err)
	}
	return l, nil
}

// Users lists the users a centre's journal has lines for, in the order
// they first appear, and the role each signed in with (auth.result).
func (l *Log) Users() (ids []string, roles map[string]session.Role) {
	roles = map[string]session.Role{}
	seen := map[string]bool{}
	for _, e := range l.Entries {
		if e.To == "" {
			continue
		}
		if !seen[e.To] {
			seen[e.To] = true
			ids = append(ids, e.To)
		}
		if a, ok := e.Event.(session.AuthResult); ok && a.OK {
			roles[e.To] = a.Role
		}
	}
	return ids, roles
}

// For returns the entries seen by user: its own events and the lines for
// nobody in particular (routing decisions). An empty user keeps them all.
func (l *Log) For(user string) []Entry {
	if user == "" {
		return l.Entries
	}
	var out []Entry
	for _, e := range l.Entries {
		if e.To == user || e.To == "" {
			out = append(out, e)
		}
	}
	return out
}

// party returns the user a centre's journal line is for: the "to" that
// Journal.Event writes first. An event may carry a "to" of its own
// (call.dialing, call.ringing) later in the line, which encoding/json
// would take instead (the last duplicate wins), so only a leading "to"
// counts; a session's lines, which start with "type", are for nobody in
// particular.
func party(b []byte) string {
	d := json.NewDecoder(bytes.NewReader(b))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	if k, err := d.Token(); err != nil || k != "to" {
		return ""
	}
	if v, err := d.Token(); err == nil {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return ""
}
