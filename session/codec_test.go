package session_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// full returns one event of every type with every field set.
func full() map[session.EventType]session.Event {
	b := session.Base{At: time.Date(2026, 11, 21, 9, 30, 15, 250_000_000, time.UTC)}
	c := session.CallBase{At: b.At, CallID: "c42"}
	s := session.Secs
	return map[session.EventType]session.Event{
		session.TypeConnectionEstablished:  session.ConnectionEstablished{Base: b, Vendor: "local", Version: "1.2", Capabilities: []session.Verb{session.VerbAnswer, session.VerbHold}},
		session.TypeConnectionFailed:       session.ConnectionFailed{Base: b, Reason: "refused"},
		session.TypeConnectionLost:         session.ConnectionLost{Base: b, Reason: "eof"},
		session.TypeConnectionReconnecting: session.ConnectionReconnecting{Base: b, Reason: "eof", Attempt: 3},
		session.TypeConnectionRestored:     session.ConnectionRestored{Base: b, Attempt: 3},
		session.TypeConnectionDegraded:     session.ConnectionDegraded{Base: b, Detail: "loss"},
		session.TypeConnectionSynced:       session.ConnectionSynced{Base: b, Restarted: true, Calls: []string{"c42"}, CheckedIn: true, State: session.AgentReady, Queued: true},
		session.TypeConnectionRecovered:    session.ConnectionRecovered{Base: b, Detail: "call c42"},
		session.TypeAgentDisposition:       session.AgentDisposition{Base: b, CallID: "c42", Code: "sale", Note: "two boxes"},
		session.TypeQueueCallback:          session.QueueCallback{Base: b, Group: "sales", Number: "+15550100", Position: 2, Cancelled: true},
		session.TypeCallRecording:          session.CallRecording{CallBase: session.CallBase{At: b.At, CallID: "c42"}, On: true, File: "c42.wav", Error: "disk full"},
		session.TypeAuthResult:             session.AuthResult{Base: b, OK: false, Code: session.AuthTokenExpired, DisplayName: "Ana", Role: session.RoleAgent, User: "ana"},
		session.TypeAccessBlocked:          session.AccessBlocked{Base: b, Reason: "ip"},
		session.TypeACDConflict:            session.ACDConflict{Base: b, Reason: "elsewhere"},
		session.TypeAgentCheckedIn:         session.AgentCheckedIn{Base: b, Groups: []string{"sales", "support"}, OK: true, Message: "hi"},
		session.TypeAgentCheckedOut:        session.AgentCheckedOut{Base: b, OK: true, Message: "bye"},
		session.TypeAgentState:             session.AgentStateChanged{Base: b, Agent: "ana", State: session.AgentRest, Reason: "tea", Limit: s(15 * time.Minute)},
		session.TypeAgentRestTimeout:       session.AgentRestTimeout{Base: b, Agent: "ana"},
		session.TypeAgentGroups:            session.AgentGroups{Base: b, CheckIn: []session.Group{{ID: "s", Name: "Sales"}}, Transfer: []session.Group{{ID: "t", Name: "Tech"}}},
		session.TypeAgentRights:            session.AgentRights{Base: b, Rights: []session.Right{session.RightBarge}},
		session.TypeAgentRoster:            session.AgentRoster{Base: b, Agents: []session.RosterEntry{{ID: "ana", Name: "Ana", State: session.AgentBusy, Reason: "r", Since: b.At, Call: "c1", Groups: []string{"s"}}}},
		session.TypeCommandFailed:          session.CommandFailed{Base: b, Command: "hold", Reason: "no call"},
		session.TypeCallRinging:            session.CallRinging{CallBase: c, Direction: session.DirInbound, From: "+1", To: "me", Team: "sales", Contact: "Bob"},
		session.TypeCallDialing:            session.CallDialing{CallBase: c, To: "+2"},
		session.TypeCallAnswered:           session.CallAnswered{CallBase: c, Wait: s(12500 * time.Millisecond)},
		session.TypeCallMedia:              session.CallMedia{CallBase: c, State: session.MediaRestored},
		session.TypeCallHeld:               session.CallHeld{CallBase: c},
		session.TypeCallRetrieved:          session.CallRetrieved{CallBase: c},
		session.TypeCallConference:         session.CallConference{CallBase: c, Parties: []string{"a", "b"}},
		session.TypeCallMonitored:          session.CallMonitored{CallBase: c, Mode: session.MonitorListen, By: "sup"},
		session.TypeCallTransferred:        session.CallTransferred{CallBase: c, ToAgent: "bo", ToGroup: "support", ToNumber: "+3"},
		session.TypeCallRejected:           session.CallRejected{CallBase: c, By: session.ByAgent},
		session.TypeCallFailed:             session.CallFailed{CallBase: c, Reason: "busy"},
		session.TypeCallEnded:              session.CallEnded{CallBase: c, By: session.BySupervisor, Duration: s(61 * time.Second), Wait: s(5 * time.Second), Total: s(70 * time.Second)},
		session.TypeCallMuted:              session.CallMuted{CallBase: c, Muted: true},
		session.TypeCallQuality:            session.CallQuality{CallBase: c, Quality: session.Quality{LossPct: 1.5, JitterMS: 20, RTTMS: 80, MOS: 4.2}},
		session.TypeCallDTMF:               session.CallDTMF{CallBase: c, Digits: "12#"},
		session.TypeCallTransferring:       session.CallTransferring{CallBase: c, To: "203", Status: 180, Reason: "Ringing"},
		session.TypeQueueNoAgents:          session.QueueNoAgents{Base: b, Group: "sales"},
		session.TypeQueueJoined:            session.QueueJoined{Base: b, Group: "sales", Position: 4, EstimatedWait: s(3 * time.Minute)},
		session.TypeQueueUpdated:           session.QueueUpdated{Base: b, Position: 2, EstimatedWait: session.Unknown},
		session.TypeQueueLeft:              session.QueueLeft{Base: b, By: session.ByTimeout},
		session.TypeQueueStats:             session.QueueStats{Base: b, Groups: []session.GroupStats{{Group: "sales", Waiting: 3, LongestWait: session.Secs(95 * time.Second), Agents: 4, Ready: 1, ServiceLevel: 0.8, Answered: 40, Abandoned: 2}}},
		session.TypeMediaMic:               session.MediaMic{Base: b, Granted: true, Device: "pulse"},
		session.TypeContactsPushed:         session.ContactsPushed{Base: b, Count: 9},
		session.TypeFileOffer:              session.FileOffer{Base: b, Name: "a.pdf", Size: 1 << 40},
	}
}

// designFields are the fields DESIGN.md's event table gives each type.
var designFields = map[session.EventType][]string{
	"connection.established":  {"vendor", "version"},
	"connection.failed":       {"reason"},
	"connection.lost":         {"reason"},
	"connection.reconnecting": {"reason", "attempt"},
	"connection.restored":     {"attempt"},
	"connection.degraded":     {"detail"},
	"auth.result":             {"ok", "code", "display_name"},
	"access.blocked":          {"reason"},
	"acd.conflict":            {"reason"},
	"agent.checked_in":        {"groups", "ok", "message"},
	"agent.checked_out":       {"ok", "message"},
	"agent.state":             {"agent", "state", "reason"},
	"agent.rest_timeout":      {"agent"},
	"agent.groups":            {"check_in", "transfer"},
	"agent.rights":            {"rights"},
	"agent.roster":            {"agents"},
	"command.failed":          {"command", "reason"},
	"call.ringing":            {"direction", "from", "to", "team", "contact"},
	"call.dialing":            {"to"},
	"call.answered":           {"wait"},
	"call.media":              {"state"},
	"call.held":               {},
	"call.retrieved":          {},
	"call.conference":         {"parties"},
	"call.monitored":          {"mode", "by"},
	"call.transferred":        {"to_agent", "to_group"},
	"call.rejected":           {"by"},
	"call.failed":             {"reason"},
	"call.ended":              {"by", "duration", "wait", "total"},
	"call.muted":              {"muted"},
	"call.quality":            {"loss_pct", "jitter_ms", "rtt_ms", "mos"},
	"call.dtmf":               {"digits"},
	"call.transferring":       {"to", "status", "reason"},
	"connection.recovered":    {"detail"},
	"agent.disposition":       {"call_id", "code", "note"},
	"queue.callback":          {"group", "number", "position", "cancelled"},
	"call.recording":          {"call_id", "on", "file", "error"},
	"queue.no_agents":         {"group"},
	"queue.joined":            {"position", "estimated_wait_s"},
	"queue.updated":           {"position", "estimated_wait_s"},
	"queue.left":              {"by"},
	"queue.stats":             {"groups"},
	"media.mic":               {"granted"},
	"contacts.pushed":         {"count"},
	"file.offer":              {"name", "size"},
	"connection.synced":       {"restarted", "calls", "checked_in", "state", "queued"},
}

func TestEventWireNames(t *testing.T) {
	types := session.EventTypes()
	if len(types) != len(designFields) {
		t.Errorf("%d event types, DESIGN.md (plus call.muted/quality/dtmf/transferring, queue.stats, connection.synced) has %d", len(types), len(designFields))
	}
	for _, typ := range types {
		if _, ok := designFields[typ]; !ok {
			t.Errorf("event type %q is not a DESIGN.md name", typ)
		}
	}
	for typ := range designFields {
		if !slices.Contains(types, typ) {
			t.Errorf("DESIGN.md event %q has no Go type", typ)
		}
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	evs := full()
	for _, typ := range session.EventTypes() {
		e, ok := evs[typ]
		if !ok {
			t.Errorf("no full example of %q", typ)
			continue
		}
		b, err := session.MarshalEvent(e)
		if err != nil {
			t.Errorf("%s: marshal: %v", typ, err)
			continue
		}
		if prefix := `{"type":"` + string(typ) + `",`; !bytes.HasPrefix(b, []byte(prefix)) {
			t.Errorf("%s: %s does not start with %s", typ, b, prefix)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Errorf("%s: not an object: %v", typ, err)
			continue
		}
		want := append([]string{"type", "at"}, designFields[typ]...)
		if _, isCall := e.(session.CallEvent); isCall {
			want = append(want, "call_id")
		}
		for _, k := range want {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: %s lacks %q", typ, b, k)
			}
		}
		if string(obj["at"]) != `"2026-11-21T09:30:15.25Z"` {
			t.Errorf("%s: at = %s, want RFC 3339", typ, obj["at"])
		}
		back, err := session.UnmarshalEvent(b)
		if err != nil {
			t.Errorf("%s: unmarshal %s: %v", typ, b, err)
			continue
		}
		if !reflect.DeepEqual(back, e) {
			t.Errorf("%s: round trip\n got %#v\nwant %#v", typ, back, e)
		}
		// A pointer marshals the same.
		p := reflect.New(reflect.TypeOf(e))
		p.Elem().Set(reflect.ValueOf(e))
		if pb, err := session.MarshalEvent(p.Interface().(session.Event)); err != nil || !bytes.Equal(pb, b) {
			t.Errorf("%s: pointer marshals to %s, %v", typ, pb, err)
		}
	}
}

func TestEventJSONDetails(t *testing.T) {
	// Nested wire names of the roster and groups.
	b, _ := session.MarshalEvent(full()[session.TypeAgentRoster])
	for _, k := range []string{`"id":"ana"`, `"name":"Ana"`, `"state":"busy"`, `"reason":"r"`, `"since":"2026-11-21T09:30:15.25Z"`, `"call":"c1"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("roster %s lacks %s", b, k)
		}
	}
	b, _ = session.MarshalEvent(full()[session.TypeCallEnded])
	if !bytes.Contains(b, []byte(`"duration":61`)) || !bytes.Contains(b, []byte(`"wait":5`)) {
		t.Errorf("call.ended %s: seconds as numbers", b)
	}
	b, _ = session.MarshalEvent(full()[session.TypeQueueUpdated])
	if !bytes.Contains(b, []byte(`"estimated_wait_s":-1`)) {
		t.Errorf("queue.updated %s: unknown wait is -1", b)
	}
	if b, _ := session.MarshalEvent(session.CallHeld{CallBase: session.CallBase{CallID: "x"}, Remote: true}); string(b) != `{"type":"call.held","at":"0001-01-01T00:00:00Z","call_id":"x","remote":true}` {
		t.Errorf("remote call.held = %s", b)
	}
	b, _ = session.MarshalEvent(session.CallHeld{CallBase: session.CallBase{CallID: "x"}})
	if string(b) != `{"type":"call.held","at":"0001-01-01T00:00:00Z","call_id":"x"}` {
		t.Errorf("call.held = %s", b)
	}
	// A queue estimate that is not given is unknown, not zero.
	e, err := session.UnmarshalEvent([]byte(`{"type":"queue.joined","at":"2026-11-21T09:00:00Z","position":2}`))
	if err != nil {
		t.Fatal(err)
	}
	if q := e.(session.QueueJoined); q.EstimatedWait.Known() {
		t.Errorf("missing estimated_wait_s decoded as %v, want unknown", q.EstimatedWait)
	}
	e, _ = session.UnmarshalEvent([]byte(`{"type":"queue.updated","position":1}`))
	if q := e.(session.QueueUpdated); q.EstimatedWait.Known() {
		t.Errorf("missing estimated_wait_s decoded as %v, want unknown", q.EstimatedWait)
	}
	// No capabilities is not unknown capabilities: an empty list stays
	// empty through a relay, and a missing one stays missing.
	for in, wantNil := range map[string]bool{
		`{"type":"connection.established","capabilities":[]}`: false,
		`{"type":"connection.established"}`:                   true,
	} {
		e, _ := session.UnmarshalEvent([]byte(in))
		b, _ := session.MarshalEvent(e)
		e2, err := session.UnmarshalEvent(b)
		if err != nil {
			t.Fatal(err)
		}
		caps := e2.(session.ConnectionEstablished).Capabilities
		if (caps == nil) != wantNil || len(caps) != 0 {
			t.Errorf("%s relayed as %s: capabilities %#v", in, b, caps)
		}
		// Either way hold is not allowed: capabilities fail closed
		// (issue 18; a missing list allowed every verb before).
		s := session.Apply(session.State{}, e2)
		if s.Capabilities.Has(session.VerbHold) {
			t.Errorf("%s: hold allowed = %v", in, s.Capabilities.Has(session.VerbHold))
		}
	}
	// Unknown fields are ignored; the type may come anywhere when reading.
	e, err = session.UnmarshalEvent([]byte(`{"call_id":"c1","extra":1,"type":"call.dtmf","digits":"5"}`))
	if err != nil || e.(session.CallDTMF).Digits != "5" {
		t.Errorf("decode = %#v, %v", e, err)
	}
}

func TestUnmarshalEventErrors(t *testing.T) {
	for _, in := range []string{``, `[]`, `{}`, `{"type":""}`, `{"type":"call.teleported"}`, `{"type":7}`, `{"type":"call.held","call_id":3}`, `{"type":"call.ended","duration":"long"}`, `{"type":"call.held"`, `null`} {
		e, err := session.UnmarshalEvent([]byte(in))
		if err == nil {
			t.Errorf("%q decoded to %#v", in, e)
			continue
		}
		if !strings.HasPrefix(err.Error(), "session: decode event") {
			t.Errorf("%q: error %q lacks the prefix", in, err)
		}
	}
	if _, err := session.UnmarshalEvent([]byte(`{"type":"call.teleported"}`)); !errors.Is(err, session.ErrUnknownEvent) {
		t.Errorf("unknown type: %v, want ErrUnknownEvent", err)
	}
	if _, err := session.MarshalEvent(nil); err == nil {
		t.Errorf("MarshalEvent(nil) succeeded")
	}
	if _, err := session.MarshalEvent((*session.CallHeld)(nil)); err == nil {
		t.Errorf("MarshalEvent(nil pointer) succeeded")
	}
}

func TestSecondsJSON(t *testing.T) {
	enc := []struct {
		s    session.Seconds
		want string
	}{
		{session.Unknown, "-1"},
		{session.Seconds(-7 * time.Second), "-1"},
		{0, "0"},
		{session.Secs(time.Millisecond), "0.001"},
		{session.Secs(400 * time.Microsecond), "0"},
		{session.Secs(1500 * time.Millisecond), "1.5"},
		{session.Secs(90 * time.Second), "90"},
		{session.Secs(3 * time.Hour), "10800"},
	}
	for _, c := range enc {
		b, err := json.Marshal(c.s)
		if err != nil || string(b) != c.want {
			t.Errorf("marshal %v = %s, %v; want %s", time.Duration(c.s), b, err, c.want)
		}
	}
	dec := []struct {
		in   string
		want session.Seconds
	}{
		{"-1", session.Unknown},
		{"-0.5", session.Unknown},
		{"-99", session.Unknown},
		{"0", 0},
		{"2.5", session.Secs(2500 * time.Millisecond)},
		{"150", session.Secs(150 * time.Second)},
		{"0.0004", 0},
		{"0.0015", session.Secs(2 * time.Millisecond)},
		{"1e300", session.Secs(1e9 * time.Second)},
	}
	for _, c := range dec {
		var s session.Seconds
		if err := json.Unmarshal([]byte(c.in), &s); err != nil || s != c.want {
			t.Errorf("unmarshal %s = %v, %v; want %v", c.in, time.Duration(s), err, time.Duration(c.want))
		}
		// Decoding is stable: encode and decode again, same value.
		b, _ := json.Marshal(s)
		var again session.Seconds
		if err := json.Unmarshal(b, &again); err != nil || again != s {
			t.Errorf("%s -> %v -> %s -> %v: not stable", c.in, time.Duration(s), b, time.Duration(again))
		}
	}
	for _, in := range []string{`"5"`, `true`, `{}`} {
		var s session.Seconds
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("unmarshal %s succeeded: %v", in, s)
		}
	}
	s := session.Secs(time.Minute)
	if err := json.Unmarshal([]byte("null"), &s); err != nil || s != session.Secs(time.Minute) {
		t.Errorf("null changed the value to %v (%v)", time.Duration(s), err)
	}
	if !session.Secs(0).Known() || session.Unknown.Known() || session.Secs(time.Second).D() != time.Second {
		t.Errorf("Known/D")
	}
}
