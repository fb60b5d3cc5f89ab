package centre

import (
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/proto"
)

// Media is the seam where the media layer (WebRTC legs, RTP forwarding,
// mixing for music on hold and whisper) plugs into the centre. The centre
// carries calls as signalling; a Media learns what the calls do and
// exchanges SDP and ICE with the clients.
//
// Contract: every method is called from the centre's engine goroutine, in
// the order things happen, and must not block (hand work to the media
// layer's own goroutines). The send function given to Start may be called
// from any goroutine, these methods included; it never blocks: it queues a
// signal frame on the user's connection, or drops it if the user is not
// connected.
type Media interface {
	// Start gives the media layer the way to send signals to clients.
	Start(send func(user string, s proto.Signal))
	// Op reports what a call did: connected (legs talk to each other), held,
	// retrieved, monitor (a supervisor listens, whispers or barges; mode ""
	// stops), dtmf, mute, ended.
	Op(op acd.MediaOp)
	// Signal is an SDP offer or answer or an ICE candidate from user.
	Signal(user string, s proto.Signal)
	// Close stops the media layer and waits for its goroutines.
	Close() error
}

// NopMedia carries no audio: signals are ignored and calls are signalling
// only. It is the default until the media layer is wired in.
type NopMedia struct{}

// Start does nothing.
func (NopMedia) Start(func(string, proto.Signal)) {}

// Op does nothing.
func (NopMedia) Op(acd.MediaOp) {}

// Signal does nothing.
func (NopMedia) Signal(string, proto.Signal) {}

// Close does nothing.
func (NopMedia) Close() error { return nil }
