package session_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// examples holds at least one event of every type, at t0+100 s. Call events
// name c1 (live in most call fixtures) or a new id.
func examples() map[session.EventType][]session.Event {
	b := base(100)
	c1, c2 := cb(100, "c1"), cb(100, "c9")
	return map[session.EventType][]session.Event{
		session.TypeConnectionEstablished:  {session.ConnectionEstablished{Base: b, Vendor: "scripted", Version: "2", Capabilities: []session.Verb{session.VerbAnswer}}},
		session.TypeConnectionFailed:       {session.ConnectionFailed{Base: b, Reason: "refused"}},
		session.TypeConnectionLost:         {session.ConnectionLost{Base: b, Reason: "eof"}},
		session.TypeConnectionReconnecting: {session.ConnectionReconnecting{Base: b, Reason: "eof", Attempt: 2}},
		session.TypeConnectionRestored:     {session.ConnectionRestored{Base: b, Attempt: 2}},
		session.TypeConnectionDegraded:     {session.ConnectionDegraded{Base: b, Detail: "loss 12%"}},
		session.TypeConnectionSynced: {
			session.ConnectionSynced{Base: b, Calls: []string{"c1"}, CheckedIn: true, State: session.AgentBusy},
			session.ConnectionSynced{Base: b, Restarted: true},
			session.ConnectionSynced{Base: b, State: "dancing"},
		},
		session.TypeConnectionRecovered: {session.ConnectionRecovered{Base: b, Detail: "call c1"}},
		session.TypeAgentDisposition:    {session.AgentDisposition{Base: b, CallID: "c1", Code: "sale"}},
		session.TypeQueueCallback:       {session.QueueCallback{Base: b, Group: "sales", Number: "+15550100", Position: 1}, session.QueueCallback{Base: b, Cancelled: true}},
		session.TypeCallRecording:       {session.CallRecording{CallBase: session.CallBase{At: b.At, CallID: "c1"}, On: true}, session.CallRecording{CallBase: session.CallBase{At: b.At, CallID: "c1"}, Error: "disk full"}},
		session.TypeAuthResult: {
			session.AuthResult{Base: b, OK: true, User: "me", DisplayName: "Me", Role: session.RoleAgent},
			session.AuthResult{Base: b, OK: false, Code: session.AuthTokenExpired},
			session.AuthResult{Base: b, OK: true, Role: "admin"},
		},
		session.TypeAccessBlocked:   {session.AccessBlocked{Base: b, Reason: "ip"}},
		session.TypeACDConflict:     {session.ACDConflict{Base: b, Reason: "elsewhere"}},
		session.TypeAgentCheckedIn:  {session.AgentCheckedIn{Base: b, OK: true, Groups: []string{"sales"}}, session.AgentCheckedIn{Base: b, OK: false, Message: "no"}},
		session.TypeAgentCheckedOut: {session.AgentCheckedOut{Base: b, OK: true}, session.AgentCheckedOut{Base: b, OK: false}},
		session.TypeAgentState: {
			session.AgentStateChanged{Base: b, State: session.AgentReady},
			session.AgentStateChanged{Base: b, State: session.AgentWrapUp, Limit: session.Secs(time.Minute)},
			session.AgentStateChanged{Base: b, Agent: "ana", State: session.AgentRest, Reason: "tea"},
			session.AgentStateChanged{Base: b, State: "dancing"},
		},
		session.TypeAgentRestTimeout: {session.AgentRestTimeout{Base: b}, session.AgentRestTimeout{Base: b, Agent: "ana"}},
		session.TypeAgentGroups:      {session.AgentGroups{Base: b, CheckIn: []session.Group{{ID: "sales"}}, Transfer: []session.Group{{ID: "support", Name: "Support"}}}},
		session.TypeAgentRights:      {session.AgentRights{Base: b, Rights: []session.Right{session.RightListen}}},
		session.TypeAgentRoster:      {session.AgentRoster{Base: b, Agents: []session.RosterEntry{{ID: "ana", State: session.AgentReady}, {ID: ""}}}},
		session.TypeCommandFailed:    {session.CommandFailed{Base: b, Command: "hold", Reason: "hold: no call"}},
		session.TypeCallRinging:      {session.CallRinging{CallBase: c2, Direction: session.DirInbound, From: "+1555"}, session.CallRinging{CallBase: c1, From: "+1555"}, session.CallRinging{CallBase: c1, Direction: session.DirOutbound, To: "+1555"}},
		session.TypeCallDialing:      {session.CallDialing{CallBase: c2, To: "+1555"}, session.CallDialing{CallBase: c1, To: "+1555"}},
		session.TypeCallAnswered:     {session.CallAnswered{CallBase: c1, Wait: session.Secs(5 * time.Second)}, session.CallAnswered{CallBase: cb(100, "k1")}},
		session.TypeCallMedia:        {session.CallMedia{CallBase: c1, State: session.MediaLost}, session.CallMedia{CallBase: c1, State: "weird"}},
		session.TypeCallHeld:         {session.CallHeld{CallBase: c1}, session.CallHeld{CallBase: c1, Remote: true}},
		session.TypeCallRetrieved:    {session.CallRetrieved{CallBase: c1}, session.CallRetrieved{CallBase: c1, Remote: true}},
		session.TypeCallConference:   {session.CallConference{CallBase: c1, Parties: []string{"me", "sup"}}},
		session.TypeCallMonitored:    {session.CallMonitored{CallBase: c1, Mode: session.MonitorWhisper, By: "sup"}, session.CallMonitored{CallBase: c1, Mode: "spy", By: "x"}},
		session.TypeCallTransferred:  {session.CallTransferred{CallBase: c1, ToGroup: "support"}, session.CallTransferred{CallBase: cb(100, "k1"), ToAgent: "bo"}},
		session.TypeCallRejected:     {session.CallRejected{CallBase: c1, By: session.ByAgent}},
		session.TypeCallFailed:       {session.CallFailed{CallBase: c1, Reason: "busy"}},
		session.TypeCallEnded:        {session.CallEnded{CallBase: c1, By: session.ByCustomer}, session.CallEnded{CallBase: cb(100, "k1"), By: session.ByAgent}},
		session.TypeCallMuted:        {session.CallMuted{CallBase: c1, Muted: true}},
		session.TypeCallQuality:      {session.CallQuality{CallBase: c1, Quality: session.Quality{LossPct: 1, JitterMS: 20, RTTMS: 80, MOS: 4.1}}},
		session.TypeCallDTMF:         {session.CallDTMF{CallBase: c1, Digits: "12#"}},
		session.TypeCallTransferring: {session.CallTransferring{CallBase: c1, To: "203", Status: 180, Reason: "Ringing"}, session.CallTransferring{CallBase: cb(100, "k1"), To: "203", Status: 100}},
		session.TypeQueueNoAgents:    {session.QueueNoAgents{Base: b, Group: "sales"}},
		session.TypeQueueJoined:      {session.QueueJoined{Base: b, Group: "sales", Position: 2, EstimatedWait: session.Unknown}},
		session.TypeQueueUpdated:     {session.QueueUpdated{Base: b, Position: 1, EstimatedWait: session.Secs(30 * time.Second)}},
		session.TypeQueueLeft:        {session.QueueLeft{Base: b, By: session.ByCustomer}},
		session.TypeQueueStats:       {session.QueueStats{Base: b, Groups: []session.GroupStats{{Group: "sales", Waiting: 2, LongestWait: session.Unknown, ServiceLevel: -1}}}},
		session.TypeMediaMic:         {session.MediaMic{Base: b, Granted: true, Device: "pulse"}},
		session.TypeContactsPushed:   {session.ContactsPushed{Base: b, Count: 12}},
		session.TypeFileOffer:        {session.FileOffer{Base: b, Name: "a.pdf", Size: 1234}},
	}
}

// TestExamplesCoverEveryEventType fails when a new event type has no
// example in the matrix.
func TestExamplesCoverEveryEventType(t *testing.T) {
	ex := examples()
	types := session.EventTypes()
	if len(types) == 0 {
		t.Fatal("EventTypes is empty")
	}
	for _, typ := range types {
		zero, ok := session.NewEvent(typ)
		if !ok {
			t.Errorf("NewEvent(%q) = false for a listed type", typ)
			continue
		}
		if zero.Type() != typ {
			t.Errorf("NewEvent(%q).Type() = %q", typ, zero.Type())
		}
		if len(ex[typ]) == 0 {
			t.Errorf("no matrix example for event type %q", typ)
		}
		for _, e := range ex[typ] {
			if e.Type() != typ {
				t.Errorf("example for %q has type %q", typ, e.Type())
			}
		}
	}
	for typ := range ex {
		if !slices.Contains(types, typ) {
			t.Errorf("example for %q, which EventTypes does not list", typ)
		}
	}
	if _, ok := session.NewEvent("call.teleported"); ok {
		t.Errorf("NewEvent accepted an unknown type")
	}
}

// TestTransitionMatrix applies every example event to every fixture: each
// cell is a valid state or a typed, documented refusal that leaves the state
// alone (but for Now).
func TestTransitionMatrix(t *testing.T) {
	ex := examples()
	types := session.EventTypes()
	slices.Sort(types)
	cells, refused := 0, 0
	var table []string
	for _, f := range fixtures() {
		for _, typ := range types {
			for i, e := range ex[typ] {
				cells++
				s := f.state(t)
				next, err := session.Transition(s, e)
				table = append(table, cell(f.name, fmt.Sprintf("%s[%d]", typ, i), outcome(err, transitionErrs)))
				// Apply on a fresh copy: rosters are shared with the input.
				applied := session.Apply(f.state(t), e)
				if err != nil {
					refused++
					var te *session.TransitionError
					if !errors.As(err, &te) {
						t.Errorf("%s->%s[%d]: error %T %v, want *TransitionError", f.name, typ, i, err, err)
						continue
					}
					if !isOneOf(err, transitionErrs) {
						t.Errorf("%s->%s[%d]: %v wraps no documented error", f.name, typ, i, err)
					}
					if te.Event != typ {
						t.Errorf("%s->%s[%d]: TransitionError.Event = %q", f.name, typ, i, te.Event)
					}
					if !sameExceptNow(next, f.state(t)) {
						t.Errorf("%s->%s[%d]: refused (%v) but Transition changed the state", f.name, typ, i, err)
					}
					if !sameExceptNow(applied, f.state(t)) {
						t.Errorf("%s->%s[%d]: refused (%v) but Apply changed the state", f.name, typ, i, err)
					}
				} else if !sameExceptNow(applied, next) {
					t.Errorf("%s->%s[%d]: Apply and Transition disagree", f.name, typ, i)
				}
				if !next.Now.Equal(at(100)) || !applied.Now.Equal(at(100)) {
					t.Errorf("%s->%s[%d]: Now = %v / %v, want the event's time", f.name, typ, i, next.Now, applied.Now)
				}
				for _, msg := range invariants(s, next) {
					t.Errorf("%s->%s[%d]: %s", f.name, typ, i, msg)
				}
			}
		}
	}
	if refused == 0 || refused == cells {
		t.Errorf("%d of %d cells refused: the matrix exercises nothing", refused, cells)
	}
	goldenTable(t, "transition_matrix", table)
}

// TestTransitionRejectsForeignEvents: nil, pointers and unknown types never
// panic.
func TestTransitionRejectsForeignEvents(t *testing.T) {
	s := fixtures()[10].state(t) // talking
	for name, e := range map[string]session.Event{
		"nil":            nil,
		"nil pointer":    (*session.CallHeld)(nil),
		"nil ptr nocall": (*session.ConnectionLost)(nil),
		"foreign":        foreign{},
	} {
		next, err := session.Transition(s, e)
		if !errors.Is(err, session.ErrInvalidEvent) {
			t.Errorf("%s: err = %v, want ErrInvalidEvent", name, err)
		}
		if !sameExceptNow(next, s) {
			t.Errorf("%s: state changed", name)
		}
		_ = session.Apply(s, e)
	}
	// A pointer to a valid event is the event.
	next, err := session.Transition(s, &session.CallHeld{CallBase: cb(100, "c1")})
	if err != nil {
		t.Fatalf("pointer event: %v", err)
	}
	if c, _ := next.Call("c1"); c.Phase != session.PhaseHeld {
		t.Errorf("pointer call.held left the call %s", c.Phase)
	}
}

type foreign struct{}

func (foreign) Type() session.EventType { return "x.foreign" }
func (foreign) Time() time.Time         { return at(1) }

// TestCheckMatrix runs every verb against every fixture: nil or a
// *CheckError wrapping a documented error, with a reason.
func TestCheckMatrix(t *testing.T) {
	allowed := 0
	var table []string
	for _, f := range fixtures() {
		s := f.state(t)
		for _, v := range append(slices.Clone(session.Verbs()), "fly") {
			for _, c := range commandsFor(v) {
				err := session.Check(s, c)
				table = append(table, cell(f.name, c.String(), outcome(err, checkErrs)))
				if err == nil {
					allowed++
					continue
				}
				var ce *session.CheckError
				if !errors.As(err, &ce) {
					t.Errorf("%s: %s: error %T %v, want *CheckError", f.name, c, err, err)
					continue
				}
				if !isOneOf(err, checkErrs) {
					t.Errorf("%s: %s: %v wraps no documented error", f.name, c, err)
				}
				if ce.Reason() == "" || ce.Error() == "" {
					t.Errorf("%s: %s: empty reason", f.name, c)
				}
				if ce.Command.Verb != c.Verb {
					t.Errorf("%s: %s: CheckError names %s", f.name, c, ce.Command.Verb)
				}
			}
		}
	}
	if allowed == 0 {
		t.Errorf("Check allowed nothing anywhere")
	}
	goldenTable(t, "check_matrix", table)
}

// commandsFor returns well-formed and ill-formed commands of verb v.
func commandsFor(v session.Verb) []session.Command {
	c := session.Command{Verb: v}
	switch v {
	case session.VerbCheckIn:
		return []session.Command{c, {Verb: v, Groups: []string{"sales"}}}
	case session.VerbNotReady, session.VerbRest:
		return []session.Command{c, {Verb: v, Reason: "lunch"}}
	case session.VerbDial:
		return []session.Command{c, {Verb: v, Number: "+15551234"}}
	case session.VerbTransfer:
		return []session.Command{c, {Verb: v, Target: session.Target{Kind: session.TargetGroup, ID: "support"}}}
	case session.VerbDTMF:
		return []session.Command{c, {Verb: v, Digits: "12#"}, {Verb: v, Digits: "x"}}
	case session.VerbCall:
		return []session.Command{c, {Verb: v, Group: "sales"}}
	case session.VerbCallback:
		return []session.Command{c, {Verb: v, Number: "+15550100"}, {Verb: v, Number: "x"}}
	case session.VerbRecord:
		return []session.Command{c, {Verb: v, Record: "on"}, {Verb: v, Record: "off", Agent: "ana"}}
	}
	if v.Supervisory() {
		return []session.Command{c, {Verb: v, Agent: "ana"}, {Verb: v, Agent: "bo"}, {Verb: v, Agent: "me"}, {Verb: v, Agent: "zed"}}
	}
	return []session.Command{c}
}
