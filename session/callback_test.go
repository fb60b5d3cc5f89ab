package session_test

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

// Callbacks and the REC mark through the reducer.
func TestCallbackAndRecordingTransitions(t *testing.T) {
	offer := session.CallRinging{CallBase: cb(10, "c9"), Direction: session.DirInbound, From: "+15550100", Team: "sales",
		Callback: true, Waited: session.Secs(4 * time.Minute)}
	runTransitions(t, []transitionCase{
		{name: "ready->call.ringing(callback)->ringing callback with the wait", from: "ready", e: offer,
			want: func(t *testing.T, s session.State) {
				c, ok := s.Ringing()
				if !ok || !c.Callback || c.From != "+15550100" || c.Wait != session.Secs(4*time.Minute) {
					t.Fatalf("%+v", s.Calls)
				}
			}},
		{name: "ringing callback->call.dialing->dialing the number", from: "ready", extra: evs(offer),
			e: session.CallDialing{CallBase: cb(11, "c9"), To: "+15550100"},
			want: func(t *testing.T, s session.State) {
				if len(s.Calls) != 1 || s.Calls[0].Phase != session.PhaseDialing || s.Calls[0].To != "+15550100" {
					t.Fatalf("%+v", s.Calls)
				}
			}},
		{name: "ringing(not callback)->call.dialing(same id)->refused", from: "ringing",
			e: session.CallDialing{CallBase: cb(11, "c1"), To: "x"}, wantErr: session.ErrDuplicateCall},
		{name: "kiosk waiting->queue.callback->booked", from: "kiosk waiting",
			extra: evs(session.CallEnded{CallBase: cb(15, "k1"), By: session.ByCustomer}),
			e:     session.QueueCallback{Base: base(15), Group: "sales", Number: "+15550100", Position: 2},
			want: func(t *testing.T, s session.State) {
				if !s.Callback.Booked || s.Callback.Position != 2 || s.Queue.Waiting || len(s.Calls) != 0 {
					t.Fatalf("callback %+v queue %+v", s.Callback, s.Queue)
				}
			}},
		{name: "talking->call.recording(on)->REC", from: "talking", e: session.CallRecording{CallBase: cb(30, "c1"), On: true},
			want: func(t *testing.T, s session.State) {
				if c, _ := s.Talking(); !c.Recording {
					t.Fatalf("%+v", c)
				}
			}},
		{name: "talking->call.recording(error)->warning, still talking", from: "talking",
			e: session.CallRecording{CallBase: cb(30, "c1"), Error: "the disk is full"},
			want: func(t *testing.T, s session.State) {
				if c, ok := s.Talking(); !ok || c.Recording || c.RecordError != "the disk is full" {
					t.Fatalf("%+v", c)
				}
			}},
	})
}
