package session

import "time"

// EventType is the wire name of an event, the `type` field of its JSON form.
type EventType string

// The normalized event types of DESIGN.md, plus call.muted, call.quality and
// call.dtmf, which carry what the media layer learns about a call.
const (
	TypeConnectionEstablished  EventType = "connection.established"
	TypeConnectionFailed       EventType = "connection.failed"
	TypeConnectionLost         EventType = "connection.lost"
	TypeConnectionReconnecting EventType = "connection.reconnecting"
	TypeConnectionRestored     EventType = "connection.restored"
	TypeConnectionDegraded     EventType = "connection.degraded"
	TypeAuthResult             EventType = "auth.result"
	TypeAccessBlocked          EventType = "access.blocked"
	TypeACDConflict            EventType = "acd.conflict"
	TypeAgentCheckedIn         EventType = "agent.checked_in"
	TypeAgentCheckedOut        EventType = "agent.checked_out"
	TypeAgentState             EventType = "agent.state"
	TypeAgentRestTimeout       EventType = "agent.rest_timeout"
	TypeAgentGroups            EventType = "agent.groups"
	TypeAgentRights            EventType = "agent.rights"
	TypeAgentRoster            EventType = "agent.roster"
	TypeCommandFailed          EventType = "command.failed"
	TypeCallRinging            EventType = "call.ringing"
	TypeCallDialing            EventType = "call.dialing"
	TypeCallAnswered           EventType = "call.answered"
	TypeCallMedia              EventType = "call.media"
	TypeCallHeld               EventType = "call.held"
	TypeCallRetrieved          EventType = "call.retrieved"
	TypeCallConference         EventType = "call.conference"
	TypeCallMonitored          EventType = "call.monitored"
	TypeCallTransferred        EventType = "call.transferred"
	TypeCallTransferring       EventType = "call.transferring"
	TypeCallRejected           EventType = "call.rejected"
	TypeCallFailed             EventType = "call.failed"
	TypeCallEnded              EventType = "call.ended"
	TypeCallMuted              EventType = "call.muted"
	TypeCallQuality            EventType = "call.quality"
	TypeCallDTMF               EventType = "call.dtmf"
	TypeQueueNoAgents          EventType = "queue.no_agents"
	TypeQueueJoined            EventType = "queue.joined"
	TypeQueueUpdated           EventType = "queue.updated"
	TypeQueueLeft              EventType = "queue.left"
	TypeQueueStats             EventType = "queue.stats"
	TypeMediaMic               EventType = "media.mic"
	TypeContactsPushed         EventType = "contacts.pushed"
	TypeFileOffer              EventType = "file.offer"
)

// Event is a normalized fact reported by a vendor adapter (or, for
// command.failed, by Check's caller). Events are past tense and immutable.
type Event interface {
	// Type is the wire name.
	Type() EventType
	// Time is when the fact happened; it is the only clock the core sees.
	Time() time.Time
}

// CallEvent is an Event about one call.
type CallEvent interface {
	Event
	Call() string
}

// Base carries the time of every event.
type Base struct {
	At time.Time `json:"at"`
}

// Time returns b.At.
func (b Base) Time() time.Time { return b.At }

// CallBase carries the time and the call of every call event.
type CallBase struct {
	At     time.Time `json:"at"`
	CallID string    `json:"call_id"`
}

// Time returns b.At.
func (b CallBase) Time() time.Time { return b.At }

// Call returns the call id.
func (b CallBase) Call() string { return b.CallID }

// ConnectionEstablished: the link to the backend is up (Voximplant
// ConnectionEstablished/SDKReady, phone-sdk connect). Capabilities lists the
// verbs the backend can carry out; nil (absent on the wire) means not known,
// which allows every verb, and an empty list means none but quit.
type ConnectionEstablished struct {
	Base
	Vendor       string `json:"vendor"`
	Version      string `json:"version,omitempty"`
	Capabilities []Verb `json:"capabilities,omitzero"`
	// URIs: the backend dials sip: and sips: URIs as well as numbers
	// (State.DialsURIs); absent, Check refuses a SIP address.
	URIs bool `json:"uris,omitzero"`
}

// ConnectionFailed: the backend could not be reached (ConnectionFailed,
// connection-error).
type ConnectionFailed struct {
	Base
	Reason string `json:"reason"`
}

// ConnectionLost: an established link dropped (ConnectionClosed,
// transport-disconnect).
type ConnectionLost struct {
	Base
	Reason string `json:"reason,omitempty"`
}

// ConnectionReconnecting: the client is trying again (Reconnecting).
type ConnectionReconnecting struct {
	Base
	Reason  string `json:"reason,omitempty"`
	Attempt int    `json:"attempt"`
}

// ConnectionRestored: the link is back and the session resumed (Reconnected).
type ConnectionRestored struct {
	Base
	Attempt int `json:"attempt,omitempty"`
}

// ConnectionDegraded: the network is poor (Videsk network-issues).
type ConnectionDegraded struct {
	Base
	Detail string `json:"detail"`
}

// AuthResult answers a login (Voximplant AuthResult, Videsk token-error).
type AuthResult struct {
	Base
	OK          bool     `json:"ok"`
	Code        AuthCode `json:"code,omitempty"`
	DisplayName string   `json:"display_name,omitempty"`
	Role        Role     `json:"role,omitempty"`
	User        string   `json:"user,omitempty"`
}

// AccessBlocked: the backend refuses this client (Videsk http-block).
type AccessBlocked struct {
	Base
	Reason string `json:"reason"`
}

// ACDConflict: the same credentials are in use elsewhere (Voximplant ACDError).
type ACDConflict struct {
	Base
	Reason string `json:"reason"`
}

// AgentCheckedIn answers checkin (phone-sdk onCheckIn).
type AgentCheckedIn struct {
	Base
	Groups  []string `json:"groups"`
	OK      bool     `json:"ok"`
	Message string   `json:"message,omitempty"`
}

// AgentCheckedOut answers checkout (phone-sdk onCheckOut).
type AgentCheckedOut struct {
	Base
	OK      bool   `json:"ok"`
	Message string `json:"message,omitempty"`
}

// AgentStateChanged: an agent's ACD state changed (AICC AgentState_*,
// Voximplant ACDStatusUpdated, phone-sdk onPause/onRestore/onIdle). Agent is
// empty or the session's own user for the session's agent; another id
// updates that roster row. Limit is the rest limit or the wrap-up time.
type AgentStateChanged struct {
	Base
	Agent  string     `json:"agent,omitempty"`
	State  AgentState `json:"state"`
	Reason string     `json:"reason,omitempty"`
	Limit  Seconds    `json:"limit_s,omitempty"`
	// Wrap-up only: the disposition codes of the call's group, and
	// whether done needs one first.
	Codes        []string `json:"codes,omitempty"`
	CodeRequired bool     `json:"code_required,omitempty"`
}

// AgentRestTimeout: a rest ran past its limit; a reminder, the agent stays
// in rest (AICC AgentState_Rest_Timeout).
type AgentRestTimeout struct {
	Base
	Agent string `json:"agent,omitempty"`
}

// Group is a queue or segment an agent can check in to or transfer to.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// AgentGroups lists the groups an agent may check in to and transfer to
// (phone-sdk onGetAgtGroups, onGetOrgAgtgrps).
type AgentGroups struct {
	Base
	CheckIn  []Group `json:"check_in"`
	Transfer []Group `json:"transfer"`
}

// AgentRights lists the user's rights (phone-sdk onGetAgentRights).
type AgentRights struct {
	Base
	Rights []Right `json:"rights"`
}

// RosterEntry is one agent as a supervisor sees it.
type RosterEntry struct {
	ID     string     `json:"id"`
	Name   string     `json:"name,omitempty"`
	State  AgentState `json:"state"`
	Reason string     `json:"reason,omitempty"`
	Since  time.Time  `json:"since"`
	Call   string     `json:"call,omitempty"`
	Groups []string   `json:"groups,omitzero"`
}

// AgentRoster replaces the supervisor's roster (phone-sdk onAllAgtInfo).
type AgentRoster struct {
	Base
	Agents []RosterEntry `json:"agents"`
}

// CommandFailed: a command was refused, by Check before it left, or by the
// backend (phone-bar state checks, `result:false` answers).
type CommandFailed struct {
	Base
	Command string `json:"command"`
	Reason  string `json:"reason"`
}

// QueueNoAgents: nobody is checked in to serve the group (Videsk no-agents).
type QueueNoAgents struct {
	Base
	Group string `json:"group,omitempty"`
}

// QueueJoined: the caller is waiting (Videsk queued).
type QueueJoined struct {
	Base
	Group         string  `json:"group,omitempty"`
	Position      int     `json:"position"`
	EstimatedWait Seconds `json:"estimated_wait_s"`
}

// QueueUpdated: the caller's place or estimate changed (queue-updated).
type QueueUpdated struct {
	Base
	Position      int     `json:"position"`
	EstimatedWait Seconds `json:"estimated_wait_s"`
}

// QueueLeft: the caller is out of the queue (customer-leave, out-queue).
type QueueLeft struct {
	Base
	By Party `json:"by"`
}

// MediaMic answers the request for the microphone (MicAccessResult).
type MediaMic struct {
	Base
	Granted bool   `json:"granted"`
	Device  string `json:"device,omitempty"`
}

// ContactsPushed: the vendor pushed volatile contacts (seed 002 contacts).
type ContactsPushed struct {
	Base
	Count int `json:"count"`
}

// FileOffer: the other side offers a file (Videsk beamport:create).
type FileOffer struct {
	Base
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// Type methods: each event knows its wire name.

func (ConnectionEstablished) Type() EventType  { return TypeConnectionEstablished }
func (ConnectionFailed) Type() EventType       { return TypeConnectionFailed }
func (ConnectionLost) Type() EventType         { return TypeConnectionLost }
func (ConnectionReconnecting) Type() EventType { return TypeConnectionReconnecting }
func (ConnectionRestored) Type() EventType     { return TypeConnectionRestored }
func (ConnectionDegraded) Type() EventType     { return TypeConnectionDegraded }
func (AuthResult) Type() EventType             { return TypeAuthResult }
func (AccessBlocked) Type() EventType          { return TypeAccessBlocked }
func (ACDConflict) Type() EventType            { return TypeACDConflict }
func (AgentCheckedIn) Type() EventType         { return TypeAgentCheckedIn }
func (AgentCheckedOut) Type() EventType        { return TypeAgentCheckedOut }
func (AgentStateChanged) Type() EventType      { return TypeAgentState }
func (AgentRestTimeout) Type() EventType       { return TypeAgentRestTimeout }
func (AgentGroups) Type() EventType            { return TypeAgentGroups }
func (AgentRights) Type() EventType            { return TypeAgentRights }
func (AgentRoster) Type() EventType            { return TypeAgentRoster }
func (CommandFailed) Type() EventType          { return TypeCommandFailed }
func (CallRinging) Type() EventType            { return TypeCallRinging }
func (CallDialing) Type() EventType            { return TypeCallDialing }
func (CallAnswered) Type() EventType           { return TypeCallAnswered }
func (CallMedia) Type() EventType              { return TypeCallMedia }
func (CallHeld) Type() EventType               { return TypeCallHeld }
func (CallRetrieved) Type() EventType          { return TypeCallRetrieved }
func (CallConference) Type() EventType         { return TypeCallConference }
func (CallMonitored) Type() EventType          { return TypeCallMonitored }
func (CallTransferred) Type() EventType        { return TypeCallTransferred }
func (CallTransferring) Type() EventType       { return TypeCallTransferring }
func (CallRejected) Type() EventType           { return TypeCallRejected }
func (CallFailed) Type() EventType             { return TypeCallFailed }
func (CallEnded) Type() EventType              { return TypeCallEnded }
func (CallMuted) Type() EventType              { return TypeCallMuted }
func (CallQuality) Type() EventType            { return TypeCallQuality }
func (CallDTMF) Type() EventType               { return TypeCallDTMF }
func (QueueNoAgents) Type() EventType          { return TypeQueueNoAgents }
func (QueueJoined) Type() EventType            { return TypeQueueJoined }
func (QueueUpdated) Type() EventType           { return TypeQueueUpdated }
func (QueueLeft) Type() EventType              { return TypeQueueLeft }
func (MediaMic) Type() EventType               { return TypeMediaMic }
func (ContactsPushed) Type() EventType         { return TypeContactsPushed }
func (FileOffer) Type() EventType              { return TypeFileOffer }
