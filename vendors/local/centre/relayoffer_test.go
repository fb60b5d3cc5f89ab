package centre

import (
	"context"
	"fmt"
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/proto"
)

// TestRelayOfferNeverAfterCallEnded drives the race of issue 16 point 6
// through the real relay over a real WebSocket: the agent answers and
// hangs up at once, or after a few round trips, while the relay builds
// the legs' offers (ICE gathering). Whatever the interleaving, no signal
// for the call reaches the agent after its call.ended; and a call that
// stays up does get its offer.
func TestRelayOfferNeverAfterCallEnded(t *testing.T) {
	m, err := media.New(media.Config{Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	c := newCentre(t, ServerConfig{Media: m})
	a := c.raw(c.token(session.RoleAgent, "a"))
	k := c.signIn(session.RoleKiosk, "k")
	a.send(`{"t":"cmd","id":1,"cmd":{"verb":"checkin"}}`)
	a.reply(1)
	id := int64(10)
	next := func() int64 { id++; return id }
	offers := 0
	for i := range 12 {
		a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"ready"}}`, next()))
		a.reply(id)
		k.MustDo("call")
		var call string
		a.until(func(_ proto.Frame, e session.Event) bool {
			r, ok := e.(session.CallRinging)
			call = r.CallID
			return ok
		})
		// answer, then i%4 round trips (a refused retrieve), then hang up,
		// all without waiting for the media.
		a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"answer"}}`, next()))
		trips := i % 4
		if i == 11 {
			trips = 0 // its offer must not go by while reading the replies
		}
		for range trips {
			a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"retrieve"}}`, next()))
			a.reply(id)
		}
		if i == 11 {
			// The last call stays up until its offer came: the relay
			// does offer a live call.
			a.until(func(f proto.Frame, _ session.Event) bool {
				return f.T == proto.KindSignal && f.Signal.CallID == call && f.Signal.Kind == "offer"
			})
			offers++
		}
		a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"hangup"}}`, next()))
		ended := false
		a.until(func(f proto.Frame, e session.Event) bool {
			if f.T == proto.KindSignal && f.Signal.CallID == call && f.Signal.Kind == "offer" && !ended {
				offers++
			}
			if ce, ok := e.(session.CallEnded); ok && ce.CallID == call {
				ended = true
			}
			return ended
		})
		k.WaitFor("kiosk's call ended", func(st session.State) bool { return len(st.Calls) == 0 })
		// Let every offer the relay may still build go out: the relay's
		// loop ends the legs (waiting for their gathering), then runs
		// what that queued; the centre's loop then flushes the signals.
		ctx := context.Background()
		for range 2 {
			if err := m.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.srv.do(ctx, c.srv.flushSignals); err != nil {
			t.Fatal(err)
		}
		a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"retrieve"}}`, next()))
		sigs, _ := a.untilReply(id)
		for _, s := range sigs {
			if s.CallID == call {
				t.Fatalf("call %d (%s): a %s arrived after call.ended", i, call, s.Kind)
			}
		}
	}
	if offers == 0 {
		t.Fatal("the relay offered no call")
	}
	t.Logf("%d offers before the calls ended", offers)
}
