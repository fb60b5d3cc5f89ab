package session

import "errors"

// Call recording: the centre records a call (one file for the whole call,
// across transfers) as its group says (always, on demand, never) and as
// agents and supervisors ask (record on|off); every party's call panel
// shows a REC mark while it records.

// VerbRecord starts or pauses the recording of the agent's call, or of
// another agent's call for a supervisor (record on|off [AGENT]).
const VerbRecord Verb = "record"

// TypeCallRecording is the wire name of CallRecording.
const TypeCallRecording EventType = "call.recording"

// CallRecording: the call's recording started (On) or stopped. Error says
// why it stopped on its own (a full disk): the call goes on unrecorded.
type CallRecording struct {
	CallBase
	On    bool   `json:"on"`
	File  string `json:"file,omitempty"`
	Error string `json:"error,omitempty"`
}

// Type names the event on the wire.
func (CallRecording) Type() EventType { return TypeCallRecording }

// ErrRecordingOff: record refused because the call's group never records.
var ErrRecordingOff = errors.New("recording is not allowed")

// checkRecord allows record on|off on the person's own answered call, or
// for a supervisor on another agent's call.
func checkRecord(s State, c Command) error {
	refuse := func(err error, detail string) error { return &CheckError{Command: c, Err: err, Detail: detail} }
	if c.Record != "on" && c.Record != "off" {
		return refuse(ErrBadArgument, "record on or record off")
	}
	if c.Agent != "" && c.Agent != s.User {
		if s.Role != RoleSupervisor {
			return refuse(ErrNoRight, "only a supervisor records another agent's call")
		}
		if r, ok := s.Roster[c.Agent]; s.Roster != nil && (!ok || r.State != AgentBusy && r.Call == "") {
			return refuse(ErrNoCall, c.Agent+" is not on a call")
		}
		return nil
	}
	_, talking := s.Talking()
	_, held := s.Held()
	if !talking && !held {
		return refuse(ErrNoCall, "there is no answered call to record")
	}
	return nil
}
