package session

import (
	"encoding/json"
	"math"
	"time"
)

// AgentState is what an agent is doing, as the ACD sees it. The zero value is
// AgentUnknown. Ringing, talking and held show on the call, not here: Apply
// makes an agent busy when a call rings or is dialled, and back (wrap-up, or
// the state before the call) when the last call ends; an agent.state from
// the backend has the last word, even while a call is live.
type AgentState string

// The agent states of DESIGN.md.
const (
	AgentUnknown  AgentState = ""
	AgentOffline  AgentState = "offline"
	AgentReady    AgentState = "ready"
	AgentNotReady AgentState = "not_ready"
	AgentRest     AgentState = "rest"
	AgentWrapUp   AgentState = "wrap_up"
	AgentBusy     AgentState = "busy"
)

// AgentStates lists every known agent state, for tests and pickers.
var AgentStates = []AgentState{AgentOffline, AgentReady, AgentNotReady, AgentRest, AgentWrapUp, AgentBusy}

// String returns the wire form, or "unknown".
func (a AgentState) String() string {
	if a == AgentUnknown {
		return "unknown"
	}
	return string(a)
}

// Valid reports whether a is one of the known states.
func (a AgentState) Valid() bool {
	for _, s := range AgentStates {
		if a == s {
			return true
		}
	}
	return false
}

// Role is who the token belongs to; the screen follows it.
type Role string

// The roles a token can carry.
const (
	RoleUnknown    Role = ""
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleKiosk      Role = "kiosk"
)

// String returns the wire form, or "unknown".
func (r Role) String() string {
	if r == RoleUnknown {
		return "unknown"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleKiosk
}

// ConnState is the state of the link to the backend.
type ConnState string

// Link states.
const (
	ConnUnknown      ConnState = ""
	ConnEstablished  ConnState = "established"
	ConnFailed       ConnState = "failed"
	ConnLost         ConnState = "lost"
	ConnReconnecting ConnState = "reconnecting"
	ConnBlocked      ConnState = "blocked"
)

// String returns the wire form, or "unknown".
func (c ConnState) String() string {
	if c == ConnUnknown {
		return "unknown"
	}
	return string(c)
}

// Phase is where a call is in its life.
type Phase string

// Call phases. A call moves ringing|dialing -> talking <-> held -> ended, and
// may end from any phase.
const (
	PhaseUnknown Phase = ""
	PhaseRinging Phase = "ringing"
	PhaseDialing Phase = "dialing"
	PhaseTalking Phase = "talking"
	PhaseHeld    Phase = "held"
	PhaseEnded   Phase = "ended"
)

// String returns the wire form, or "unknown".
func (p Phase) String() string {
	if p == PhaseUnknown {
		return "unknown"
	}
	return string(p)
}

// Live reports whether a call in phase p has not ended.
func (p Phase) Live() bool { return p != PhaseEnded && p != PhaseUnknown }

// Direction says who placed a call.
type Direction string

// Call directions.
const (
	DirUnknown  Direction = ""
	DirInbound  Direction = "inbound"
	DirOutbound Direction = "outbound"
)

// Party says who did something to a call (ended it, left the queue, ...).
type Party string

// Parties.
const (
	ByUnknown    Party = ""
	ByAgent      Party = "agent"
	ByCustomer   Party = "customer"
	BySupervisor Party = "supervisor"
	BySystem     Party = "system"
	ByAnswered   Party = "answered"
	ByTimeout    Party = "timeout"
)

// MonitorMode is how a supervisor joins an agent's call.
type MonitorMode string

// Monitor modes.
const (
	MonitorNone    MonitorMode = ""
	MonitorListen  MonitorMode = "listen"
	MonitorWhisper MonitorMode = "whisper"
	MonitorBarge   MonitorMode = "barge"
)

// MediaState is the state of a call's audio path.
type MediaState string

// Media states of call.media.
const (
	MediaUnknown   MediaState = ""
	MediaConnected MediaState = "connected"
	MediaLost      MediaState = "lost"
	MediaRestored  MediaState = "restored"
)

// AuthCode says why an authentication failed. The codes are those of DESIGN.md,
// mapped from Voximplant's AuthResult 401/404/500/701 and Videsk's token-error.
type AuthCode string

// Auth codes.
const (
	AuthOK           AuthCode = ""
	AuthInvalidToken AuthCode = "invalid_token"
	AuthUnknownUser  AuthCode = "unknown_user"
	AuthInternal     AuthCode = "internal"
	AuthTokenExpired AuthCode = "token_expired"
)

// Right is a permission a supervisor may hold (the phone-sdk seed's
// onGetAgentRights). The supervisor verbs need the matching right.
type Right string

// Rights.
const (
	RightListen    Right = "listen"
	RightWhisper   Right = "whisper"
	RightBarge     Right = "barge"
	RightIntercept Right = "intercept"
	RightPause     Right = "pause"
	RightRestore   Right = "restore"
	RightLogout    Right = "logout"
)

// Seconds is a duration that crosses the wire as a number of seconds.
// A negative value means unknown.
type Seconds time.Duration

// Unknown is the Seconds value for "no estimate".
const Unknown = Seconds(-1)

// Secs converts d.
func Secs(d time.Duration) Seconds { return Seconds(d) }

// D returns the duration.
func (s Seconds) D() time.Duration { return time.Duration(s) }

// Known reports whether s holds a value.
func (s Seconds) Known() bool { return s >= 0 }

// MarshalJSON writes seconds to the millisecond, or -1 for unknown.
func (s Seconds) MarshalJSON() ([]byte, error) {
	if !s.Known() {
		return []byte("-1"), nil
	}
	return json.Marshal(math.Round(time.Duration(s).Seconds()*1000) / 1000)
}

// UnmarshalJSON reads a number of seconds, to the millisecond as
// MarshalJSON writes it, so that decoding what was encoded gives the same
// value; a negative number is unknown, null leaves s as it was, and more
// than 1e9 seconds is 1e9 seconds.
func (s *Seconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f < 0 {
		*s = Unknown
		return nil
	}
	if f > 1e9 {
		f = 1e9
	}
	*s = Seconds(time.Duration(math.Round(f*1000)) * time.Millisecond)
	return nil
}
