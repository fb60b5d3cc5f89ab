package acd

import (
	"time"

	"github.com/agentty/agentty/session"
)

// What the engine gives back: its outputs and what they carry.

// Output is one effect, in order. Exactly one of Event, Record, Media,
// History, Decision is set.
type Output struct {
	To       string // the party the event is for
	Event    session.Event
	Record   *Record
	Media    *MediaOp
	History  *StateChange
	Decision *Decision
	Code     *CodeRecord
	Trunk    *TrunkOp
}

// CodeRecord is the disposition code (and note) an agent gave a call
// segment in wrap-up; it belongs with that segment's Record.
type CodeRecord struct {
	CallID  string
	Segment int
	Agent   string
	Code    string
	Note    string
	At      time.Time
}

// Decision is a routing decision, for the centre's journal: a call was
// offered to these agents, and why.
type Decision struct {
	Type     string    `json:"type"` // always "acd.offer"
	At       time.Time `json:"at"`
	CallID   string    `json:"call_id"`
	Group    string    `json:"group,omitempty"`
	Strategy Strategy  `json:"strategy,omitempty"`
	Offered  []string  `json:"offered"`
	Why      string    `json:"why"`
	Waiting  int       `json:"waiting"` // calls in the group's queue then
	Ready    int       `json:"ready"`   // agents of the group ready then
}

// Record is one finished call segment: a call that is transferred has one
// segment per agent who handled it.
type Record struct {
	CallID      string
	Segment     int
	From, To    string
	Group       string
	Agent       string
	Queued      time.Time
	Answered    time.Time
	Ended       time.Time
	Wait, Talk  time.Duration
	EndedBy     session.Party
	Disposition string // answered, abandoned, transferred, intercepted, no_answer, rejected, failed, cancelled, no_agents, callback (the caller asked to be called back)
	Note        string // "callback" for the segments of a callback
	Channel     string // how the caller came: kiosk, sip, sim; for an agent's own call sip when it went out through the trunk, else ""
}

// MediaKind says what a MediaOp asks of the media layer.
type MediaKind string

// Media operations.
const (
	MediaConnected MediaKind = "connected" // Legs are talking to each other
	MediaHeld      MediaKind = "held"      // Party put the call on hold (music for the other legs)
	MediaRetrieved MediaKind = "retrieved"
	MediaMonitor   MediaKind = "monitor" // Party monitors with Mode ("" stops)
	MediaDTMF      MediaKind = "dtmf"    // Party sent Digits
	MediaMute      MediaKind = "mute"    // Party muted (Muted) its leg
	MediaEnded     MediaKind = "ended"   // tear the call's legs down
	MediaRecord    MediaKind = "record"  // start (Record) or pause the call's recording
)

// MediaOp is a media-layer instruction about one call.
type MediaOp struct {
	Kind   MediaKind
	CallID string
	Legs   []string // party ids, or "ext:NUMBER" for an external leg
	Party  string
	From   string // MediaJoin: the call Party's leg moves from
	Mode   session.MonitorMode
	Digits string
	Muted  bool
	Record bool
}
