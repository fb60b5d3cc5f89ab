package session

import "time"

// The events about one call: it rings, is dialled, answered, held,
// monitored, transferred, ends; its media, mute, quality and digits.

// CallRinging: a call offers itself (phone:ringing, AgentOther_PhoneAlerting,
// onCallInRing, IncomingCall).
type CallRinging struct {
	CallBase
	Direction Direction `json:"direction"`
	From      string    `json:"from,omitempty"`
	To        string    `json:"to,omitempty"`
	Team      string    `json:"team,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	// Callback marks a callback (callback.go): to an agent, From is the
	// number the centre will call back and Waited how long the caller
	// waited; to the caller, the centre calling back.
	Callback bool    `json:"callback,omitempty"`
	Waited   Seconds `json:"waited,omitempty"`
}

// CallDialing: an outbound call is being placed (phone:calling,
// onCallOutRing, onCallout).
type CallDialing struct {
	CallBase
	To string `json:"to"`
}

// CallAnswered: the call is talking (phone:accepted, AgentEvent_Talking,
// onCallIn, onCallOut, answered). Wait is how long the caller queued.
type CallAnswered struct {
	CallBase
	Wait Seconds `json:"wait,omitempty"`
}

// CallMedia: the audio path connected, dropped or came back (connected-call,
// agent-disconnect).
type CallMedia struct {
	CallBase
	State MediaState `json:"state"`
}

// CallHeld: the call is on hold (onHold, AgentEvent_Customer_Alerting).
// Remote: the far end put us on hold (a SIP re-INVITE with sendonly or
// inactive); the call stays in its phase (we may still retrieve or hold
// it ourselves) and Call.RemoteHeld says so. Absent means our hold.
type CallHeld struct {
	CallBase
	Remote bool `json:"remote,omitempty"`
}

// CallRetrieved: the call is off hold (onRetrieve). Remote: the far end
// took us off its hold (clears Call.RemoteHeld, nothing else).
type CallRetrieved struct {
	CallBase
	Remote bool `json:"remote,omitempty"`
}

// CallConference: the call has these parties (onThreePart, joinTalk).
// Merged names another live call of this session that was folded into
// this one (an agent's consultation joined to the held call): it ends
// here, without wrap-up, as "joined".
type CallConference struct {
	CallBase
	Parties []string `json:"parties"`
	Merged  string   `json:"merged,omitempty"`
}

// CallMonitored: a supervisor listens, whispers or barges (listen, joinTalk).
// Mode "" means the monitoring stopped.
type CallMonitored struct {
	CallBase
	Mode MonitorMode `json:"mode"`
	By   string      `json:"by"`
}

// CallTransferred: the call left this agent for another agent or group
// (transferred-agent, transferred-segment, dialTrans).
type CallTransferred struct {
	CallBase
	ToAgent  string `json:"to_agent,omitempty"`
	ToGroup  string `json:"to_group,omitempty"`
	ToNumber string `json:"to_number,omitempty"`
}

// CallRejected: the call was refused before it was answered (dismissed).
type CallRejected struct {
	CallBase
	By Party `json:"by"`
}

// CallFailed: the call could not be placed (AgentEvent_Call_Out_Fail,
// onDialOver).
type CallFailed struct {
	CallBase
	Reason string `json:"reason"`
}

// CallEnded: the call is over (phone:terminated, AgentEvent_Call_Release,
// AgentEvent_Customer_Release, ended).
type CallEnded struct {
	CallBase
	By       Party   `json:"by"`
	Duration Seconds `json:"duration"`
	Wait     Seconds `json:"wait,omitempty"`
	Total    Seconds `json:"total,omitempty"`
}

// CallMuted: the local microphone was muted or unmuted for the call.
type CallMuted struct {
	CallBase
	Muted bool `json:"muted"`
}

// Quality is a call's measured audio quality.
type Quality struct {
	LossPct  float64 `json:"loss_pct"`
	JitterMS float64 `json:"jitter_ms"`
	RTTMS    float64 `json:"rtt_ms"`
	MOS      float64 `json:"mos"`
}

// QualityOf is the Quality of a call's measured figures: loss as a
// fraction (0.05 is 5 %), jitter and round-trip time, MOS.
func QualityOf(loss float64, jitter, rtt time.Duration, mos float64) Quality {
	return Quality{LossPct: 100 * loss, JitterMS: float64(jitter) / float64(time.Millisecond),
		RTTMS: float64(rtt) / float64(time.Millisecond), MOS: mos}
}

// CallQuality reports a call's current quality.
type CallQuality struct {
	CallBase
	Quality
}

// CallTransferring: a transfer of the call is under way and the party
// asked to make it reports progress (SIP: the sipfrag of each NOTIFY
// after our REFER, 100 Trying, 180 Ringing; 300 and above: it failed and
// the call stays). The call goes on; call.transferred ends it.
type CallTransferring struct {
	CallBase
	To     string `json:"to"`
	Status int    `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// CallDTMF: digits were received on the call.
type CallDTMF struct {
	CallBase
	Digits string `json:"digits"`
}
