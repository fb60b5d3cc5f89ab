package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/agentty/agentty/session"
)

// Group is a group's stored settings; zero durations mean the defaults.
type Group struct {
	ID, Name    string
	Strategy    string
	RingTimeout time.Duration
	WrapUp      time.Duration
	RestLimit   time.Duration
}

// PutGroup adds or updates a group.
func (s *Store) PutGroup(ctx context.Context, g Group) error {
	if g.Name == "" {
		g.Name = g.ID
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO groups(id, name, strategy, ring_timeout_ms, wrap_up_ms, rest_limit_ms)
		VALUES(?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, strategy=excluded.strategy,
		ring_timeout_ms=excluded.ring_timeout_ms, wrap_up_ms=excluded.wrap_up_ms, rest_limit_ms=excluded.rest_limit_ms`,
		g.ID, g.Name, g.Strategy, g.RingTimeout.Milliseconds(), g.WrapUp.Milliseconds(), g.RestLimit.Milliseconds())
	if err != nil {
		return fmt.Errorf("store: put group %s: %w", g.ID, err)
	}
	return nil
}

// Groups lists every group.
func (s *Store) Groups(ctx context.Context) ([]Group, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, strategy, ring_timeout_ms, wrap_up_ms, rest_limit_ms FROM groups ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		var r, w, l int64
		if err := rows.Scan(&g.ID, &g.Name, &g.Strategy, &r, &w, &l); err != nil {
			return nil, fmt.Errorf("store: groups: %w", err)
		}
		g.RingTimeout, g.WrapUp, g.RestLimit = time.Duration(r)*time.Millisecond, time.Duration(w)*time.Millisecond, time.Duration(l)*time.Millisecond
		out = append(out, g)
	}
	return out, rows.Err()
}

// AgentState is one row of agent state history.
type AgentState struct {
	User   string
	State  session.AgentState
	Reason string
	At     time.Time
}

// AddStates appends agent state history in one transaction.
func (s *Store) AddStates(ctx context.Context, st []AgentState) error {
	if len(st) == 0 {
		return nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, a := range st {
			if _, err := tx.Exec(`INSERT INTO agent_states(user_id, state, reason, at) VALUES(?,?,?,?)`,
				a.User, string(a.State), a.Reason, a.At.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: agent states: %w", err)
	}
	return nil
}

// States returns user's state history, oldest first.
func (s *Store) States(ctx context.Context, user string) ([]AgentState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, state, reason, at FROM agent_states WHERE user_id=? ORDER BY id`, user)
	if err != nil {
		return nil, fmt.Errorf("store: states: %w", err)
	}
	defer rows.Close()
	var out []AgentState
	for rows.Next() {
		var a AgentState
		var st string
		var at int64
		if err := rows.Scan(&a.User, &st, &a.Reason, &at); err != nil {
			return nil, fmt.Errorf("store: states: %w", err)
		}
		a.State, a.At = session.AgentState(st), time.UnixMilli(at).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// CallRecord is one finished call segment.
type CallRecord struct {
	CallID      string        `json:"call_id"`
	Segment     int           `json:"segment"`
	From        string        `json:"from"`
	To          string        `json:"to"`
	Group       string        `json:"group"`
	Agent       string        `json:"agent"`
	Queued      time.Time     `json:"queued"`
	Answered    time.Time     `json:"answered,omitzero"`
	Ended       time.Time     `json:"ended"`
	Wait        time.Duration `json:"-"`
	Talk        time.Duration `json:"-"`
	EndedBy     string        `json:"ended_by"`
	Disposition string        `json:"disposition"`
	Note        string        `json:"note,omitempty"`      // NoteRestarted for a call live at a crash
	Code        string        `json:"code,omitempty"`      // the agent's disposition code (wrap-up)
	CodeNote    string        `json:"code_note,omitempty"` // the agent's note with the code
	Recording   string        `json:"recording,omitempty"` // the call's recording file (recording.go)
	Channel     string        `json:"channel,omitempty"`   // kiosk, sip, sim: how the caller came
}

// MarshalJSON writes the record with wait_s and talk_s in seconds.
func (r CallRecord) MarshalJSON() ([]byte, error) {
	type plain CallRecord
	return json.Marshal(struct {
		plain
		WaitS float64 `json:"wait_s"`
		TalkS float64 `json:"talk_s"`
	}{plain(r), r.Wait.Seconds(), r.Talk.Seconds()})
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// AddCall commits one call record.
func (s *Store) AddCall(ctx context.Context, r CallRecord) error {
	if err := addCall(s.db, r); err != nil {
		return fmt.Errorf("store: call record %s/%d: %w", r.CallID, r.Segment, err)
	}
	return nil
}

func addCall(db interface {
	Exec(string, ...any) (sql.Result, error)
}, r CallRecord) error {
	_, err := db.Exec(`INSERT INTO calls(call_id, segment, from_party, to_party, grp, agent,
		queued, answered, ended, wait_ms, talk_ms, ended_by, disposition, note, channel) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.CallID, r.Segment, r.From, r.To, r.Group, r.Agent, ms(r.Queued), ms(r.Answered), ms(r.Ended),
		r.Wait.Milliseconds(), r.Talk.Milliseconds(), r.EndedBy, r.Disposition, r.Note, r.Channel)
	return err
}

// Calls lists the call records, oldest first.
func (s *Store) Calls(ctx context.Context) ([]CallRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.call_id, c.segment, from_party, to_party, grp, c.agent,
		queued, answered, ended, wait_ms, talk_ms, ended_by, disposition, c.note, COALESCE(k.code, ''), COALESCE(k.note, ''), COALESCE(rec.path, ''), c.channel
		FROM calls c LEFT JOIN call_codes k ON k.call_id = c.call_id AND k.segment = c.segment
		LEFT JOIN call_recordings rec ON rec.call_id = c.call_id ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("store: calls: %w", err)
	}
	defer rows.Close()
	var out []CallRecord
	for rows.Next() {
		var r CallRecord
		var q, a, e, w, t int64
		if err := rows.Scan(&r.CallID, &r.Segment, &r.From, &r.To, &r.Group, &r.Agent, &q, &a, &e, &w, &t, &r.EndedBy, &r.Disposition, &r.Note, &r.Code, &r.CodeNote, &r.Recording, &r.Channel); err != nil {
			return nil, fmt.Errorf("store: calls: %w", err)
		}
		r.Queued, r.Answered, r.Ended = fromMS(q), fromMS(a), fromMS(e)
		r.Wait, r.Talk = time.Duration(w)*time.Millisecond, time.Duration(t)*time.Millisecond
		out = append(out, r)
	}
	return out, rows.Err()
}
