// Package fake is an in-process scripted backend: a tiny contact centre of one
// user that answers every command the way a real backend would, with no
// network. It is the reference the contract suite (vendortest) is checked
// against, and what tests use where a real centre would only add noise.
// It is not the embedded contact centre (vendors/local) and says so: its
// connection.established names the vendor "scripted".
package fake

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// Name is the registry name.
const Name = "scripted"

func init() {
	vendors.Register(Name, func(cfg vendors.Config) (vendors.Vendor, error) {
		role := session.Role(cfg.Options["role"])
		if role == session.RoleUnknown {
			role = session.RoleAgent
		}
		if !role.Valid() {
			return nil, fmt.Errorf("fake: role %q: want agent, supervisor or kiosk", role)
		}
		return New(cfg.Clock, role, cfg.Token), nil
	})
}

// ValidToken is the one token the scripted backend accepts; an empty token
// is accepted too, as in a demo.
const ValidToken = "scripted-token"

// Vendor is the scripted backend. Its zero value is not usable; call New.
type Vendor struct {
	clock vendors.Clock
	role  session.Role
	token string
	phone bool // a phone with no ACD (NewPhone)
	uris  bool // dials sip: URIs (DialURIs)

	mu     sync.Mutex
	state  session.State // the backend's own view, kept with session.Apply
	events chan session.Event
	closed bool
	nextID int
}

// New returns a scripted backend for one user of role.
func New(clock vendors.Clock, role session.Role, token string) *Vendor {
	if clock == nil {
		clock = vendors.SystemClock{}
	}
	return &Vendor{clock: clock, role: role, token: token, events: make(chan session.Event, 1024)}
}

// DialURIs makes the backend dial sip: and sips: URIs as well as numbers
// (connection.established says so); without it, it refuses them as a
// phone line does. Call it before Connect.
func (v *Vendor) DialURIs() *Vendor {
	v.uris = true
	return v
}

// Name returns "scripted".
func (v *Vendor) Name() string { return Name }

// Capabilities returns every verb of the role.
func (v *Vendor) Capabilities() session.Capabilities { return v.caps() }

func (v *Vendor) caps() session.Capabilities {
	if v.phone {
		return session.NewCapabilities(vendors.PhoneVerbs()...)
	}
	switch v.role {
	case session.RoleKiosk:
		return session.NewCapabilities(vendors.KioskVerbs()...)
	case session.RoleSupervisor:
		return session.NewCapabilities(append(slices.Concat(vendors.AgentVerbs(), vendors.SupervisorVerbs(), session.ConsultVerbs), session.VerbDisposition)...)
	}
	return session.NewCapabilities(append(slices.Concat(vendors.AgentVerbs(), session.ConsultVerbs), session.VerbDisposition)...)
}

// Events returns the event channel.
func (v *Vendor) Events() <-chan session.Event { return v.events }

// Connect signs in. A token other than ValidToken or "" fails with
// invalid_token.
func (v *Vendor) Connect(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return vendors.ErrClosed
	}
	now := v.clock.Now()
	v.emit(session.ConnectionEstablished{Base: at(now), Vendor: Name, Version: "1", Capabilities: v.caps().List(), URIs: v.uris})
	if v.token != "" && v.token != ValidToken {
		v.emit(session.AuthResult{Base: at(now), OK: false, Code: session.AuthInvalidToken})
		return fmt.Errorf("fake: sign in: %s", session.AuthInvalidToken)
	}
	v.emit(session.AuthResult{Base: at(now), OK: true, User: "me", DisplayName: "Demo " + string(v.role), Role: v.role})
	groups := []session.Group{{ID: "sales", Name: "Sales"}, {ID: "support", Name: "Support"}}
	if v.role != session.RoleKiosk && !v.phone {
		v.emit(session.AgentGroups{Base: at(now), CheckIn: groups, Transfer: groups})
	}
	if v.role == session.RoleSupervisor {
		rights := []session.Right{session.RightListen, session.RightWhisper, session.RightBarge,
			session.RightIntercept, session.RightPause, session.RightRestore, session.RightLogout}
		v.emit(session.AgentRights{Base: at(now), Rights: rights})
		v.emit(session.AgentRoster{Base: at(now), Agents: []session.RosterEntry{
			{ID: "ana", Name: "Ana", State: session.AgentReady, Since: now},
			{ID: "bo", Name: "Bo", State: session.AgentNotReady, Reason: "lunch", Since: now},
		}})
	}
	return nil
}

// Ring offers an inbound call from number to the user, as a caller would:
// an ACD agent must be ready, a phone (NewPhone) not on a call. It returns
// the call id.
func (v *Vendor) Ring(from string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return "", vendors.ErrClosed
	}
	if v.phone {
		if v.state.OnCall() {
			return "", fmt.Errorf("fake: ring: the phone is on a call")
		}
	} else if v.state.Agent.State != session.AgentReady {
		return "", fmt.Errorf("fake: ring: agent is %s, not ready", v.state.Agent.State)
	}
	id := v.newID()
	v.emit(session.CallRinging{CallBase: callAt(v.clock.Now(), id), Direction: session.DirInbound,
		From: from, To: "me", Team: "sales"})
	return id, nil
}

// Send carries out c, refusing what the backend's own state forbids.
func (v *Vendor) Send(ctx context.Context, c session.Command) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return vendors.ErrClosed
	}
	now := v.clock.Now()
	if err := session.Check(v.state, c); err != nil {
		var ce *session.CheckError
		reason := err.Error()
		if errors.As(err, &ce) {
			reason = ce.Reason()
		}
		v.emit(session.CommandFailed{Base: at(now), Command: c.String(), Reason: reason})
		return errors.New(reason)
	}
	s := v.state
	call, _ := s.Active()
	if c.CallID != "" {
		if cc, ok := s.Call(c.CallID); ok {
			call = cc
		}
	}
	cb := callAt(now, call.ID)
	switch c.Verb {
	case session.VerbCheckIn:
		g := c.Groups
		if len(g) == 0 {
			g = []string{"sales", "support"}
		}
		v.emit(session.AgentCheckedIn{Base: at(now), Groups: g, OK: true})
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentNotReady, Reason: "checked in"})
	case session.VerbCheckOut:
		v.emit(session.AgentCheckedOut{Base: at(now), OK: true})
	case session.VerbReady, session.VerbDone:
		if c.Verb == session.VerbReady && !s.CheckedIn {
			// ready when not checked in checks in to all the groups first
			v.emit(session.AgentCheckedIn{Base: at(now), Groups: []string{"sales", "support"}, OK: true})
		}
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentReady})
	case session.VerbDisposition:
		v.emit(session.AgentDisposition{Base: at(now), Code: c.Code, Note: c.Note})
	case session.VerbNotReady:
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentNotReady, Reason: c.Reason})
	case session.VerbRest:
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentRest, Reason: c.Reason, Limit: session.Secs(15 * time.Minute)})
	case session.VerbDial:
		id := v.newID()
		v.emit(session.CallDialing{CallBase: callAt(now, id), To: c.Number})
		v.emit(session.CallAnswered{CallBase: callAt(now, id)})
	case session.VerbAnswer:
		r, _ := s.Ringing()
		v.emit(session.CallAnswered{CallBase: callAt(now, r.ID)})
	case session.VerbReject:
		r, _ := s.Ringing()
		v.emit(session.CallRejected{CallBase: callAt(now, r.ID), By: session.ByAgent})
		v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentNotReady, Reason: "rejected"})
	case session.VerbHangup, session.VerbLeave:
		if v.role == session.RoleKiosk && s.Queue.Waiting {
			v.emit(session.QueueLeft{Base: at(now), By: session.ByCustomer})
		}
		if call.ID == "" && len(s.Calls) > 0 {
			call = s.Calls[0]
			cb = callAt(now, call.ID)
		}
		if call.ID != "" {
			by := session.ByAgent
			if v.role == session.RoleKiosk {
				by = session.ByCustomer
			}
			v.emit(session.CallEnded{CallBase: cb, By: by, Duration: session.Secs(call.TalkTime(now))})
			if v.role != session.RoleKiosk && !v.phone && !call.Answered.IsZero() {
				v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second)})
			}
		}
	case session.VerbHold:
		v.emit(session.CallHeld{CallBase: cb})
	case session.VerbRetrieve:
		h, _ := s.Held()
		v.emit(session.CallRetrieved{CallBase: callAt(now, h.ID)})
	case session.VerbTransfer:
		if call.ID == "" {
			call, _ = s.Held()
		}
		t := session.CallTransferred{CallBase: callAt(now, call.ID)}
		switch c.Target.Kind {
		case session.TargetAgent:
			t.ToAgent = c.Target.ID
		case session.TargetGroup:
			t.ToGroup = c.Target.ID
		default:
			t.ToNumber = c.Target.ID
		}
		v.emit(t)
		if !v.phone {
			v.emit(session.AgentStateChanged{Base: at(now), State: session.AgentWrapUp, Limit: session.Secs(30 * time.Second)})
		}
	case session.VerbConsult, session.VerbComplete, session.VerbConference, session.VerbCancel:
		v.consult(now, s, c)
	case session.VerbDTMF:
		// Digits go to the far end; nothing comes back.
	case session.VerbMute, session.VerbUnmute:
		for _, cl := range s.Calls {
			v.emit(session.CallMuted{CallBase: callAt(now, cl.ID), Muted: c.Verb == session.VerbMute})
		}
	case session.VerbCall:
		id := v.newID()
		g := c.Group
		if g == "" {
			g = "sales"
		}
		v.emit(session.CallDialing{CallBase: callAt(now, id), To: g})
		v.emit(session.QueueJoined{Base: at(now), Group: g, Position: 3, EstimatedWait: session.Secs(150 * time.Second)})
	case session.VerbListen, session.VerbWhisper, session.VerbBarge, session.VerbIntercept:
		id := v.newID()
		v.emit(session.CallDialing{CallBase: callAt(now, id), To: c.Agent})
		v.emit(session.CallAnswered{CallBase: callAt(now, id)})
		mode := session.MonitorMode(c.Verb)
		if c.Verb == session.VerbIntercept {
			mode = session.MonitorNone
		}
		v.emit(session.CallMonitored{CallBase: callAt(now, id), Mode: mode, By: "me"})
	case session.VerbPause:
		v.emit(session.AgentStateChanged{Base: at(now), Agent: c.Agent, State: session.AgentNotReady, Reason: "paused by supervisor"})
	case session.VerbRestore:
		v.emit(session.AgentStateChanged{Base: at(now), Agent: c.Agent, State: session.AgentReady})
	case session.VerbLogout:
		v.emit(session.AgentStateChanged{Base: at(now), Agent: c.Agent, State: session.AgentOffline, Reason: "logged out by supervisor"})
	}
	return nil
}

// Advance moves the kiosk caller up the queue by one place, and connects the
// call when it reaches the front. It is how tests and the scripted demo make
// the queue move.
func (v *Vendor) Advance() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed || !v.state.Queue.Waiting || len(v.state.Calls) == 0 {
		return
	}
	now := v.clock.Now()
	q := v.state.Queue
	if q.Position > 1 {
		v.emit(session.QueueUpdated{Base: at(now), Position: q.Position - 1,
			EstimatedWait: session.Secs(time.Duration(q.Position-1) * time.Minute)})
		return
	}
	v.emit(session.QueueLeft{Base: at(now), By: session.ByAnswered})
	v.emit(session.CallAnswered{CallBase: callAt(now, v.state.Calls[0].ID), Wait: session.Secs(now.Sub(q.Since))})
}

// Close ends the session and closes Events.
func (v *Vendor) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil
	}
	v.closed = true
	close(v.events)
	return nil
}

// emit applies e to the backend's view and delivers it. v.mu is held.
func (v *Vendor) emit(e session.Event) {
	v.state = session.Apply(v.state, e)
	v.events <- e
}

func (v *Vendor) newID() string {
	v.nextID++
	return "c" + strconv.Itoa(v.nextID)
}

func at(t time.Time) session.Base { return session.Base{At: t} }

func callAt(t time.Time, id string) session.CallBase {
	return session.CallBase{At: t, CallID: id}
}
