package phonesdk

import (
	"encoding/json"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// readResult reads {result, message}; a bare boolean is the result.
func readResult(m wire.Msg, r *result) error {
	var b bool
	if json.Unmarshal(orNull(m.Data), &b) == nil && len(m.Data) > 0 && string(m.Data) != "null" {
		r.Result = &b
		return nil
	}
	return wire.Unmarshal(Name, m, r)
}

func orNull(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// groups reads an Array of groups: strings, or objects with an id
// (id/groupId/grpId) and a name (name/groupName).
func groups(m wire.Msg) ([]session.Group, error) {
	var raw []json.RawMessage
	if err := wire.Unmarshal(Name, m, &raw); err != nil {
		return nil, err
	}
	out := make([]session.Group, 0, len(raw))
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, session.Group{ID: s})
			continue
		}
		var o struct {
			ID, GroupID, GrpID, Name, GroupName string
		}
		if err := json.Unmarshal(r, &o); err != nil {
			return nil, wire.Malformed(Name, m.Event, err)
		}
		g := session.Group{ID: first(o.ID, o.GroupID, o.GrpID), Name: first(o.Name, o.GroupName)}
		if g.ID == "" {
			g.ID = g.Name
		}
		out = append(out, g)
	}
	return out, nil
}

// roster reads onAllAgtInfo's Array: objects with agentId/id, name and a
// state word.
func roster(m wire.Msg, at time.Time) ([]session.RosterEntry, error) {
	var raw []struct {
		ID, AgentID, Name, AgentName, State, Status string
	}
	if err := wire.Unmarshal(Name, m, &raw); err != nil {
		return nil, err
	}
	out := make([]session.RosterEntry, 0, len(raw))
	for _, r := range raw {
		id := first(r.AgentID, r.ID)
		if id == "" {
			continue
		}
		st := session.AgentState(first(r.State, r.Status))
		if !st.Valid() {
			st = session.AgentUnknown
		}
		out = append(out, session.RosterEntry{ID: id, Name: first(r.Name, r.AgentName), State: st, Since: at})
	}
	return out, nil
}

func rightOf(s string) session.Right {
	switch s {
	case "listen", "whisper", "barge", "intercept", "pause", "restore", "logout":
		return session.Right(s)
	case "joinTalk":
		return session.RightBarge
	case "disconnectCall":
		return session.RightIntercept
	case "logoutAgent":
		return session.RightLogout
	}
	return ""
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
