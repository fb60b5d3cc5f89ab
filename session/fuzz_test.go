package session_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// gen turns fuzz bytes into choices; once the bytes run out every choice
// is 0 and done is set.
type gen struct {
	b    []byte
	i    int
	done bool
}

func (g *gen) byte() byte {
	if g.i >= len(g.b) {
		g.done = true
		return 0
	}
	c := g.b[g.i]
	g.i++
	return c
}

func (g *gen) pick(n int) int { return int(g.byte()) % n }

func pickOf[T any](g *gen, xs ...T) T { return xs[g.pick(len(xs))] }

// genCtx is the generator's memory: the clock and the call ids it made.
type genCtx struct {
	now   time.Time
	fresh int
}

var (
	fuzzTypes = func() []session.EventType {
		ts := session.EventTypes()
		slices.Sort(ts)
		return ts
	}()
	agentIDs = []string{"", "me", "ana", "bo"}
)

func (c *genCtx) callID(g *gen) string {
	switch k := g.pick(8); {
	case k < 5:
		return []string{"c0", "c1", "c2", "c3", "c4"}[k]
	case k == 5:
		c.fresh++
		return "n" + string(rune('a'+c.fresh%26)) + string(rune('a'+c.fresh/26%26)) + string(rune('a'+c.fresh/676%26))
	case k == 6:
		return "c0"
	}
	return ""
}

// event makes one event of a type the bytes choose, every field chosen by
// the bytes from a small vocabulary, so that ids and states collide often.
func (c *genCtx) event(g *gen) session.Event {
	typ := fuzzTypes[g.pick(len(fuzzTypes))]
	zero, _ := session.NewEvent(typ)
	p := reflect.New(reflect.TypeOf(zero))
	when := c.now
	switch d := g.byte(); {
	case d == 255:
		when = time.Time{} // no time at all
	case d >= 240:
		when = c.now.Add(-time.Duration(d-239) * time.Second) // late
	default:
		c.now = c.now.Add(time.Duration(d) * time.Second)
		when = c.now
	}
	c.fill(g, p.Elem(), when)
	return p.Elem().Interface().(session.Event)
}

var (
	tTime     = reflect.TypeFor[time.Time]()
	tSeconds  = reflect.TypeFor[session.Seconds]()
	tAgentSt  = reflect.TypeFor[session.AgentState]()
	tRole     = reflect.TypeFor[session.Role]()
	tDir      = reflect.TypeFor[session.Direction]()
	tParty    = reflect.TypeFor[session.Party]()
	tMonitor  = reflect.TypeFor[session.MonitorMode]()
	tMedia    = reflect.TypeFor[session.MediaState]()
	tAuthCode = reflect.TypeFor[session.AuthCode]()
	tRight    = reflect.TypeFor[session.Right]()
	tVerb     = reflect.TypeFor[session.Verb]()
)

func (c *genCtx) fill(g *gen, v reflect.Value, now time.Time) {
	t := v.Type()
	switch t {
	case tTime:
		v.Set(reflect.ValueOf(now))
		return
	case tSeconds:
		v.Set(reflect.ValueOf(pickOf(g, session.Seconds(0), session.Unknown, session.Secs(30*time.Second), session.Secs(15*time.Minute))))
		return
	case tAgentSt:
		v.SetString(string(pickOf(g, append(slices.Clone(session.AgentStates), "", "bogus")...)))
		return
	case tRole:
		v.SetString(string(pickOf(g, session.RoleAgent, session.RoleSupervisor, session.RoleKiosk, session.RoleUnknown, "root")))
		return
	case tDir:
		v.SetString(string(pickOf(g, session.DirInbound, session.DirOutbound, session.DirUnknown)))
		return
	case tParty:
		v.SetString(string(pickOf(g, session.ByAgent, session.ByCustomer, session.BySystem, session.ByAnswered, session.ByUnknown)))
		return
	case tMonitor:
		v.SetString(string(pickOf(g, session.MonitorNone, session.MonitorListen, session.MonitorWhisper, session.MonitorBarge, "spy")))
		return
	case tMedia:
		v.SetString(string(pickOf(g, session.MediaConnected, session.MediaLost, session.MediaRestored, session.MediaUnknown)))
		return
	case tAuthCode:
		v.SetString(string(pickOf(g, session.AuthOK, session.AuthInvalidToken, session.AuthTokenExpired)))
		return
	case tRight:
		v.SetString(string(pickOf(g, session.RightListen, session.RightBarge, session.RightPause)))
		return
	case tVerb:
		v.SetString(string(session.Verbs()[g.pick(len(session.Verbs()))]))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			switch f.Name {
			case "CallID":
				v.Field(i).SetString(c.callID(g))
			case "Agent", "ID", "User":
				if f.Type.Kind() == reflect.String {
					v.Field(i).SetString(pickOf(g, agentIDs...))
				}
			default:
				c.fill(g, v.Field(i), now)
			}
		}
	case reflect.String:
		v.SetString(pickOf(g, "", "x", "sales"))
	case reflect.Bool:
		v.SetBool(g.byte()&1 == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(g.byte()) - 8)
	case reflect.Float64:
		v.SetFloat(float64(g.byte()) / 8)
	case reflect.Slice:
		n := g.pick(3)
		if n == 0 && g.byte()&1 == 0 {
			return // nil
		}
		s := reflect.MakeSlice(t, n, n)
		for i := range n {
			c.fill(g, s.Index(i), now)
		}
		v.Set(s)
	}
}

// FuzzApply applies a byte-driven sequence of events and checks the
// invariants after every step.
func FuzzApply(f *testing.F) {
	for _, seed := range [][]byte{
		{},
		{0},
		[]byte("a call rings, is answered, held, retrieved and ends"),
		{1, 5, 5, 9, 9, 2, 3, 7, 1, 1, 1, 22, 4, 0, 18, 3, 3, 1, 2, 2},
		bytes.Repeat([]byte{17, 1, 2, 0, 19, 1, 0, 0}, 20),
		bytes.Repeat([]byte{0, 255, 3, 240, 7}, 30),
	} {
		f.Add(seed)
	}
	f.Fuzz(runApplyBody)
}

func runApplyBody(t *testing.T, data []byte) {
	{
		g := &gen{b: data}
		ctx := &genCtx{now: t0}
		var s session.State
		// Sign in with a role the first byte chooses, so that Check and
		// the agent rules are reachable.
		role := pickOf(g, session.RoleAgent, session.RoleSupervisor, session.RoleKiosk)
		for _, e := range signIn(role) {
			s = session.Apply(s, e)
		}
		sawCall := false
		for step := 0; step < 64 && !g.done; step++ {
			e := ctx.event(g)
			next, err := session.Transition(s, e)
			applied := session.Apply(s, e)
			if !reflect.DeepEqual(applied, next) {
				t.Fatalf("step %d %#v: Apply and Transition disagree (err %v)", step, e, err)
			}
			if err != nil {
				var te *session.TransitionError
				if !errors.As(err, &te) || !isOneOf(err, transitionErrs) {
					t.Fatalf("step %d %#v: error %v is not a documented *TransitionError", step, e, err)
				}
				if !sameExceptNow(next, s) {
					t.Fatalf("step %d %#v: refused (%v) but the state changed", step, e, err)
				}
			}
			for _, msg := range invariants(s, next) {
				t.Errorf("step %d %#v: %s", step, e, msg)
			}
			if len(next.Calls) > 0 {
				sawCall = true
			}
			if next.Agent.State == session.AgentWrapUp && !sawCall {
				t.Fatalf("step %d %#v: wrap_up and no call ever", step, e)
			}
			if t.Failed() {
				t.FailNow()
			}
			s = next
			// Check never panics and refuses only with documented errors.
			c := session.Command{Verb: session.Verbs()[g.pick(len(session.Verbs()))], Agent: pickOf(g, agentIDs...), Number: "1", Digits: "1", CallID: pickOf(g, "", "c0", "c1"),
				Target: session.Target{Kind: session.TargetAgent, ID: "bo"}}
			if err := session.Check(s, c); err != nil {
				var ce *session.CheckError
				if !errors.As(err, &ce) || !isOneOf(err, checkErrs) || ce.Reason() == "" {
					t.Fatalf("step %d: Check(%s) = %v", step, c, err)
				}
			}
		}
	}
}

// FuzzParseCommand: no panic, typed errors, and parse -> String -> parse
// gives the same command.
func FuzzParseCommand(f *testing.F) {
	for _, v := range session.Verbs() {
		f.Add(v.Usage())
		f.Add(string(v))
	}
	for _, s := range []string{"checkin a, b,,c", "transfer Agent:x:y", "dtmf ab#", "notready  long   reason", "dial +1 (555) 0100", "# x", "", "transfer +", "call a b", "\u00a0ready\u0085", "DIAL é", "transfer sip:carol@pbx.example", "consult SIPS:x@y;transport=tls", "transfer tel:+1555", "transfer sip:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		c, err := session.ParseCommand(line)
		if err != nil {
			if !errors.Is(err, session.ErrSyntax) && !errors.Is(err, session.ErrEmpty) {
				t.Fatalf("%q: error %v wraps neither ErrSyntax nor ErrEmpty", line, err)
			}
			if !reflect.DeepEqual(c, session.Command{}) {
				t.Fatalf("%q: error %v with command %#v", line, err, c)
			}
			return
		}
		if !slices.Contains(session.Verbs(), c.Verb) {
			t.Fatalf("%q: verb %q is not in Verbs", line, c.Verb)
		}
		again, err := session.ParseCommand(c.String())
		if err != nil {
			t.Fatalf("%q -> %q: %v", line, c.String(), err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("%q -> %#v -> %q -> %#v", line, c, c.String(), again)
		}
	})
}

// FuzzUnmarshalEvent: no panic, and decode -> MarshalEvent -> decode gives
// the same event and the same bytes.
func FuzzUnmarshalEvent(f *testing.F) {
	for _, e := range full() {
		b, err := session.MarshalEvent(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"type":"queue.joined","position":2}`,
		`{"type":"call.ended","at":"2026-11-21T10:00:00+05:30","call_id":"x","duration":0.0004,"wait":null}`,
		`{"TYPE":"call.held","Call_ID":"y"}`,
		`{"type":"agent.roster","agents":[{"id":"a","since":"2026-11-21T10:00:00.123456789123Z"}]}`,
		`{"type":"file.offer","size":1e30}`,
		`{"type":"call.dtmf","digits":"\xff"}`,
		`{"type":"agent.state","limit_s":1e300,"state":"x"}`,
		`{"type":"connection.established","capabilities":[]}`,
		`{"type":"agent.roster","agents":[{"id":"a","groups":[]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := session.UnmarshalEvent(data)
		if err != nil {
			if e != nil {
				t.Fatalf("error %v with event %#v", err, e)
			}
			return
		}
		if reflect.ValueOf(e).Kind() == reflect.Pointer {
			t.Fatalf("decoded a pointer %T", e)
		}
		b1, err := session.MarshalEvent(e)
		if err != nil {
			t.Fatalf("%s: decoded %#v but cannot encode it: %v", data, e, err)
		}
		if !bytes.HasPrefix(b1, []byte(`{"type":"`+string(e.Type())+`"`)) {
			t.Fatalf("%s: type is not first", b1)
		}
		e2, err := session.UnmarshalEvent(b1)
		if err != nil {
			t.Fatalf("%s -> %s: %v", data, b1, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("%s -> %#v -> %s -> %#v", data, e, b1, e2)
		}
		b2, err := session.MarshalEvent(e2)
		if err != nil || !bytes.Equal(b1, b2) {
			t.Fatalf("%s re-encodes to %s (%v)", b1, b2, err)
		}
		// Whatever decodes, the reducer takes without panicking.
		var s session.State
		_ = session.Apply(s, e)
	})
}
