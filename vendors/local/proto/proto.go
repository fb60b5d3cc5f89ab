// Package proto is the wire format of the embedded contact centre: JSON text
// frames over one WebSocket, each an envelope whose "t" field names its kind.
// Events inside the envelope are session events exactly as
// session.MarshalEvent writes them, so the local backend is the reference
// vocabulary for every other. docs/protocol.md is the prose form of this file.
package proto

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/agentty/agentty/session"
)

// Version is the protocol version a hello must name.
const Version = 1

// MaxFrame bounds one frame, in bytes. A longer frame closes the
// connection with 1009 (message too big); the client reconnects and does
// not send it again, so there is no storm.
const MaxFrame = 64 << 10

// MaxDigits bounds the digits of one dtmf command.
const MaxDigits = 32

// Kind is the "t" field of a frame.
type Kind string

// Frame kinds. Hello, Cmd, Signal and Bye go client to server; Welcome, Event,
// Reply, Error and Signal go server to client.
const (
	KindHello   Kind = "hello"
	KindCmd     Kind = "cmd"
	KindSignal  Kind = "signal"
	KindBye     Kind = "bye"
	KindWelcome Kind = "welcome"
	KindEvent   Kind = "event"
	KindReply   Kind = "reply"
	KindError   Kind = "error"
)

// Error codes of reply and error frames.
const (
	CodeBadFrame    = "bad_frame"    // the frame could not be decoded
	CodeBadVersion  = "bad_version"  // hello named a version the server lacks
	CodeRateLimited = "rate_limited" // too many frames; this one was dropped
	CodeRefused     = "refused"      // the command is not allowed now
	CodeForbidden   = "forbidden"    // the role may not issue the command
	CodeNotFound    = "not_found"    // an agent, group or call does not exist
	CodeInternal    = "internal"     // the server failed
)

// Frame is every field any frame may carry; Kind says which are meaningful.
type Frame struct {
	T Kind `json:"t"`

	// hello
	V      int    `json:"v,omitempty"`
	Token  string `json:"token,omitempty"`
	Resume int64  `json:"resume,omitempty"` // last event seq the client holds, 0 for a fresh session

	// welcome
	Session string `json:"session,omitempty"`
	Resumed bool   `json:"resumed,omitempty"`

	// cmd, reply
	ID  int64            `json:"id,omitempty"`
	Cmd *session.Command `json:"cmd,omitempty"`
	OK  bool             `json:"ok,omitempty"`

	// reply, error
	Code  string `json:"code,omitempty"`
	Error string `json:"error,omitempty"`

	// event
	Seq   int64           `json:"seq,omitempty"`
	Event json.RawMessage `json:"event,omitempty"`

	// signal
	Signal *Signal `json:"signal,omitempty"`
}

// Signal carries WebRTC signalling for one call leg: an SDP offer or answer,
// or one trickled ICE candidate. The media layer owns their meaning.
type Signal struct {
	CallID    string `json:"call_id"`
	Kind      string `json:"kind"` // offer, answer, ice
	SDP       string `json:"sdp,omitempty"`
	Candidate string `json:"candidate,omitempty"`
}

// ErrBadFrame is wrapped by every Decode error.
var ErrBadFrame = errors.New("bad frame")

// DecodeClient reads one client-to-server frame and checks it: a known kind,
// the fields that kind needs, nothing absurd. It never panics.
func DecodeClient(data []byte) (Frame, error) {
	var f Frame
	if len(data) > MaxFrame {
		return Frame{}, fmt.Errorf("proto: %w: %d bytes, limit %d", ErrBadFrame, len(data), MaxFrame)
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return Frame{}, fmt.Errorf("proto: %w: %v", ErrBadFrame, err)
	}
	bad := func(format string, a ...any) (Frame, error) {
		return Frame{}, fmt.Errorf("proto: %w: %s: %s", ErrBadFrame, f.T, fmt.Sprintf(format, a...))
	}
	switch f.T {
	case KindHello:
		if f.V <= 0 {
			return bad("no version")
		}
		if f.Token == "" {
			return bad("no token")
		}
		if f.Resume < 0 {
			return bad("negative resume")
		}
	case KindCmd:
		if f.ID <= 0 {
			return bad("id must be a positive integer")
		}
		if f.Cmd == nil || f.Cmd.Verb == session.VerbUnknown {
			return bad("no cmd.verb")
		}
		if err := validCommand(*f.Cmd); err != nil {
			return bad("%v", err)
		}
	case KindSignal:
		if f.Signal == nil || f.Signal.CallID == "" {
			return bad("no signal.call_id")
		}
		switch f.Signal.Kind {
		case "offer", "answer":
			if f.Signal.SDP == "" {
				return bad("signal.%s without sdp", f.Signal.Kind)
			}
		case "ice":
			if f.Signal.Candidate == "" && f.Signal.SDP == "" {
				return bad("signal.ice without a candidate")
			}
		default:
			return bad("signal.kind %q: want offer, answer or ice", f.Signal.Kind)
		}
	case KindBye:
	case "":
		return Frame{}, fmt.Errorf("proto: %w: no \"t\"", ErrBadFrame)
	default:
		return bad("unknown kind")
	}
	return f, nil
}

// validCommand checks a command the way session.ParseCommand would have
// built it: a known verb and well-formed arguments. State is the server's
// business.
func validCommand(c session.Command) error {
	known := false
	for _, v := range session.Verbs() {
		if c.Verb == v {
			known = true
		}
	}
	if !known {
		return fmt.Errorf("unknown verb %q", c.Verb)
	}
	switch c.Verb {
	case session.VerbDTMF:
		if len(c.Digits) > MaxDigits {
			return fmt.Errorf("dtmf: %d digits, at most %d at once", len(c.Digits), MaxDigits)
		}
		if !session.ValidDigits(c.Digits) {
			return fmt.Errorf("dtmf digits %q", c.Digits)
		}
	case session.VerbTransfer, session.VerbConsult:
		if _, err := session.ParseTarget(c.Target.String()); err != nil || c.Target.Kind == session.TargetNone {
			return fmt.Errorf("%s target %q", c.Verb, c.Target.String())
		}
	case session.VerbDial:
		if strings.TrimSpace(c.Number) == "" {
			return errors.New("dial needs a number")
		}
	}
	if c.Verb.Supervisory() && c.Agent == "" {
		return fmt.Errorf("%s needs an agent", c.Verb)
	}
	for _, s := range append([]string{c.Reason, c.Number, c.Agent, c.Group, c.CallID, c.Target.ID}, c.Groups...) {
		if len(s) > 256 {
			return errors.New("argument longer than 256 bytes")
		}
	}
	if len(c.Groups) > 64 {
		return errors.New("more than 64 groups")
	}
	return nil
}

// EncodeEvent wraps e in an event frame with sequence number seq.
func EncodeEvent(seq int64, e session.Event) ([]byte, error) {
	body, err := session.MarshalEvent(e)
	if err != nil {
		return nil, fmt.Errorf("proto: %w", err)
	}
	return json.Marshal(Frame{T: KindEvent, Seq: seq, Event: body})
}

// Encode writes any frame.
func Encode(f Frame) []byte {
	b, err := json.Marshal(f)
	if err != nil { // only a broken RawMessage can fail; say so on the wire
		b, _ = json.Marshal(Frame{T: KindError, Code: CodeInternal, Error: "proto: encode: " + err.Error()})
	}
	return b
}

// DecodeServer reads one server-to-client frame; an event frame's event is
// decoded too.
func DecodeServer(data []byte) (Frame, session.Event, error) {
	var f Frame
	if err := json.Unmarshal(data, &f); err != nil {
		return Frame{}, nil, fmt.Errorf("proto: %w: %v", ErrBadFrame, err)
	}
	switch f.T {
	case KindEvent:
		e, err := session.UnmarshalEvent(f.Event)
		if err != nil {
			return Frame{}, nil, fmt.Errorf("proto: %w: %v", ErrBadFrame, err)
		}
		return f, e, nil
	case KindWelcome, KindReply, KindError, KindSignal:
		return f, nil, nil
	}
	return Frame{}, nil, fmt.Errorf("proto: %w: unknown kind %q", ErrBadFrame, f.T)
}
