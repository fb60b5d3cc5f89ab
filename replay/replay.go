// Package replay plays a journal (package journal) back through the pure
// reducer: the state after each event, as the console had it, for
// `agentty replay`. A Player paces the events in the log's own time at a
// chosen speed, can pause, step and seek; seeking back rebuilds the state
// from the start, which the reducer makes cheap.
package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/session"
)

// Speed is how fast a replay runs: a factor of real time, or Max (no
// pacing at all).
type Speed float64

// Max plays every event at once.
const Max Speed = 0

// ParseSpeed reads "1x", "10x", "0.5x", "max".
func ParseSpeed(s string) (Speed, error) {
	if s == "max" {
		return Max, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "x"), 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("replay: speed %q: want 1x, 10x, 0.5x or max", s)
	}
	return Speed(f), nil
}

func (s Speed) String() string {
	if s == Max {
		return "max"
	}
	return strconv.FormatFloat(float64(s), 'g', 3, 64) + "x"
}

// Window picks the entries between from and to (either may be zero):
// each is an RFC 3339 time, a clock time "15:04" or "15:04:05" on the
// log's first day, or an offset "+10m" from the log's first event.
func Window(es []journal.Entry, from, to string) ([]journal.Entry, error) {
	if len(es) == 0 || (from == "" && to == "") {
		return es, nil
	}
	first := es[0].At
	lo, err := parseAt(first, from)
	if err != nil {
		return nil, fmt.Errorf("replay: --from: %w", err)
	}
	hi, err := parseAt(first, to)
	if err != nil {
		return nil, fmt.Errorf("replay: --to: %w", err)
	}
	var out []journal.Entry
	for _, e := range es {
		if (!lo.IsZero() && e.At.Before(lo)) || (!hi.IsZero() && e.At.After(hi)) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

func parseAt(first time.Time, s string) (time.Time, error) {
	switch {
	case s == "":
		return time.Time{}, nil
	case strings.HasPrefix(s, "+"):
		d, err := time.ParseDuration(s[1:])
		if err != nil {
			return time.Time{}, err
		}
		return first.Add(d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := first.Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, first.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want RFC 3339, 15:04[:05] or +DURATION", s)
}

// Summary is the state after one event, for --headless: the parts a person
// reads on the screen, not the whole State.
type Summary struct {
	Line      int            `json:"line"`
	At        time.Time      `json:"at"`
	Type      string         `json:"type"`
	Unknown   bool           `json:"unknown,omitempty"` // a type this version does not know: shown, not applied
	Conn      string         `json:"conn"`
	Role      string         `json:"role,omitempty"`
	User      string         `json:"user,omitempty"`
	Agent     string         `json:"agent_state,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Groups    []string       `json:"groups,omitempty"`
	Calls     []CallSummary  `json:"calls,omitempty"`
	Queue     *QueueSummary  `json:"queue,omitempty"`
	Roster    map[string]int `json:"roster,omitempty"` // agents by state
	Waiting   int            `json:"waiting,omitempty"`
	LastError string         `json:"last_refusal,omitempty"`
}

// CallSummary is one live call.
type CallSummary struct {
	ID    string `json:"id"`
	Phase string `json:"phase"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// QueueSummary is a kiosk caller's place.
type QueueSummary struct {
	Position int     `json:"position"`
	Wait     float64 `json:"estimated_wait_s"`
}

// Summarize describes st after entry e.
func Summarize(e journal.Entry, st session.State) Summary {
	s := Summary{Line: e.Line, At: e.At, Type: e.Type, Unknown: e.Event == nil, Conn: st.Conn.String(),
		Role: string(st.Role), User: st.User, Agent: string(st.Agent.State), Reason: st.Agent.Reason, Groups: st.Groups}
	for _, c := range st.Calls {
		s.Calls = append(s.Calls, CallSummary{ID: c.ID, Phase: c.Phase.String(), From: c.From, To: c.To})
	}
	if st.Queue.Position > 0 {
		s.Queue = &QueueSummary{Position: st.Queue.Position, Wait: float64(st.Queue.EstimatedWait)}
	}
	if len(st.Roster) > 0 {
		s.Roster = map[string]int{}
		for _, r := range st.Roster {
			s.Roster[string(r.State)]++
		}
	}
	for _, q := range st.Queues {
		s.Waiting += q.Waiting
	}
	if st.LastFailure != nil {
		s.LastError = st.LastFailure.Reason
	}
	return s
}
