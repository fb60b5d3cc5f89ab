package session

import "time"

// State is everything the console knows about its session. It is a value:
// Apply returns a new State. Maps inside it (Roster) may be shared with the
// State that Apply was given, so a caller keeps only the newest State, as
// with append.
type State struct {
	Conn         ConnState
	ConnReason   string
	Degraded     string // last connection.degraded detail, cleared on restore
	Vendor       string
	Version      string
	Capabilities Capabilities
	DialsURIs    bool // the backend dials sip: and sips: URIs (connection.established uris)

	Authed      bool
	AuthCode    AuthCode
	User        string
	DisplayName string
	Role        Role
	Rights      []Right

	Agent AgentStatus
	// AgentBeforeCall is Agent as it was when the current busy spell began;
	// when the spell's last call ends and none of its calls was answered,
	// the agent goes back to it (a caller who hung up while ringing leaves
	// the agent ready, a failed dial leaves a resting agent resting).
	AgentBeforeCall AgentStatus
	// CallAnswered reports whether a call of the current busy spell was
	// answered: then the spell ends in wrap-up.
	CallAnswered bool

	CheckedIn      bool
	Groups         []string // checked in to
	CheckInGroups  []Group  // may check in to
	TransferGroups []Group  // may transfer to

	Calls  []Call // live calls, oldest first
	Recent []Call // ended calls, newest last, at most MaxRecent

	Queue    QueueStatus    // the kiosk caller's place
	Callback CallbackStatus // the kiosk caller's booked callback (callback.go)
	Queues   []GroupStats   // the groups' queues (queue.stats)

	Roster map[string]RosterEntry // supervisors: every agent by id

	MicGranted     *bool
	ContactsPushed int
	FileOffers     []FileOffer
	LastFailure    *CommandFailed // the last refused command
	Now            time.Time      // time of the last applied event
}

// MaxRecent bounds State.Recent.
const MaxRecent = 32

// AgentStatus is the session's own agent state.
type AgentStatus struct {
	State       AgentState
	Reason      string
	Since       time.Time
	Limit       Seconds // rest limit or wrap-up time; 0 when none
	RestOverdue bool    // agent.rest_timeout seen in this rest
	// Wrap-up's disposition: the codes the call's group offers, whether
	// one is required before done, and the one chosen (agent.disposition).
	Codes        []string
	CodeRequired bool
	Code         string
}

// Deadline returns when a rest or wrap-up ends, or the zero time.
func (a AgentStatus) Deadline() time.Time {
	if a.Limit <= 0 || a.Since.IsZero() {
		return time.Time{}
	}
	return a.Since.Add(a.Limit.D())
}

// QueueStatus is the kiosk caller's place in the queue.
type QueueStatus struct {
	Waiting       bool
	Group         string
	Position      int
	EstimatedWait Seconds
	Since         time.Time
	NoAgents      bool
	LeftBy        Party
}

// Call is one call as the console shows it.
type Call struct {
	ID          string
	Direction   Direction
	From, To    string
	Team        string
	Contact     string
	Phase       Phase
	Started     time.Time // rang or dialled
	Answered    time.Time
	HeldSince   time.Time
	HeldTotal   time.Duration
	RemoteHeld  bool // the far end holds us (CallHeld.Remote); not our hold
	Wait        Seconds
	Media       MediaState
	Muted       bool
	Monitor     MonitorMode
	MonitoredBy string
	Parties     []string
	Quality     Quality
	HasQuality  bool
	DTMF        string           // digits received
	Transfer    TransferProgress // the latest call.transferring; zero when none
	Ended       time.Time
	EndedBy     Party
	Duration    Seconds
	Outcome     string // "", "rejected", "failed: reason", "transferred to X"
	// Callback marks a callback: offered to the agent (From is the number
	// to call back, Wait how long the caller waited), or ringing the caller.
	Callback bool
	// Recording is the REC mark (call.recording); RecordError why the
	// recording stopped on its own.
	Recording   bool
	RecordError string
}

// Remote returns the number or name of the far party.
func (c Call) Remote() string {
	if c.Direction == DirOutbound {
		return c.To
	}
	return c.From
}

// TalkTime returns how long the call has been (or was) answered at now,
// excluding time on hold.
func (c Call) TalkTime(now time.Time) time.Duration {
	if c.Answered.IsZero() {
		return 0
	}
	end := now
	if !c.Ended.IsZero() {
		end = c.Ended
	}
	d := end.Sub(c.Answered) - c.HeldTotal
	if !c.HeldSince.IsZero() {
		d -= end.Sub(c.HeldSince)
	}
	if d < 0 {
		return 0
	}
	return d
}

// Capabilities is the set of verbs a backend can carry out. It fails
// closed: a nil set (not yet known, or a backend that stated none) allows
// nothing but quit.
type Capabilities map[Verb]bool

// NewCapabilities returns a set holding vs.
func NewCapabilities(vs ...Verb) Capabilities {
	c := make(Capabilities, len(vs))
	for _, v := range vs {
		c[v] = true
	}
	return c
}

// Has reports whether v is in the set; quit is always in, and nothing else
// is in a nil set.
func (c Capabilities) Has(v Verb) bool {
	return v == VerbQuit || c[v]
}

// List returns the verbs in Verbs order.
func (c Capabilities) List() []Verb {
	var out []Verb
	for _, v := range verbs {
		if c[v] {
			out = append(out, v)
		}
	}
	return out
}

// Call returns the live call with id, or false.
func (s State) Call(id string) (Call, bool) {
	if i := s.callIndex(id); i >= 0 {
		return s.Calls[i], true
	}
	return Call{}, false
}

// Active returns the live call that is not held (talking, ringing or
// dialling), preferring a talking one, or false.
func (s State) Active() (Call, bool) {
	var found *Call
	for i := range s.Calls {
		c := &s.Calls[i]
		if c.Phase == PhaseTalking {
			return *c, true
		}
		if c.Phase != PhaseHeld && found == nil {
			found = c
		}
	}
	if found != nil {
		return *found, true
	}
	return Call{}, false
}

// find returns the first live call in one of the phases, or false.
func (s State) find(phases ...Phase) (Call, bool) {
	for _, c := range s.Calls {
		for _, p := range phases {
			if c.Phase == p {
				return c, true
			}
		}
	}
	return Call{}, false
}

// Talking returns the talking call, or false.
func (s State) Talking() (Call, bool) { return s.find(PhaseTalking) }

// Ringing returns the oldest inbound ringing call, or false. An outbound call
// whose far end is ringing is not one to answer: see Placing.
func (s State) Ringing() (Call, bool) {
	for _, c := range s.Calls {
		if c.Phase == PhaseRinging && c.Direction != DirOutbound {
			return c, true
		}
	}
	return Call{}, false
}

// Placing returns the oldest outbound call not yet answered (dialling, or
// ringing at the far end), or false.
func (s State) Placing() (Call, bool) {
	for _, c := range s.Calls {
		if c.Phase == PhaseDialing || c.Phase == PhaseRinging && c.Direction == DirOutbound {
			return c, true
		}
	}
	return Call{}, false
}

// Held returns the oldest held call, or false.
func (s State) Held() (Call, bool) { return s.find(PhaseHeld) }

// OnCall reports whether any call is live.
func (s State) OnCall() bool { return len(s.Calls) > 0 }

// HasRight reports whether the user holds r.
func (s State) HasRight(r Right) bool {
	for _, x := range s.Rights {
		if x == r {
			return true
		}
	}
	return false
}

func (s State) callIndex(id string) int {
	for i := range s.Calls {
		if s.Calls[i].ID == id {
			return i
		}
	}
	return -1
}

func (s State) endedRecently(id string) bool {
	for i := range s.Recent {
		if s.Recent[i].ID == id {
			return true
		}
	}
	return false
}

// TransferProgress is how a transfer of a call is going (call.transferring):
// the target and the last status the transferee reported (Status 0: none).
type TransferProgress struct {
	To     string
	Status int
	Reason string
}

// Failed: the transferee reported a final failure (the call stays).
func (p TransferProgress) Failed() bool { return p.Status >= 300 }
