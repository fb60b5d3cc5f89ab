package centre

import (
	"context"
	"fmt"
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// untilReply reads r's frames up to the reply to id and returns the media
// signals and error frames seen on the way.
func (r *raw) untilReply(id int64) (sigs []proto.Signal, errs []proto.Frame) {
	r.t.Helper()
	r.until(func(f proto.Frame, _ session.Event) bool {
		switch {
		case f.T == proto.KindSignal:
			sigs = append(sigs, *f.Signal)
		case f.T == proto.KindError:
			errs = append(errs, f)
		}
		return f.T == proto.KindReply && f.ID == id
	})
	return sigs, errs
}

// TestNoMediaOfferAfterCallEnded: a media offer the relay produces for a
// call still reaches the agent while the call is on, and is dropped once
// the call ended; a client's signal for an ended call, or one not its own,
// gets an error frame.
func TestNoMediaOfferAfterCallEnded(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.raw(c.token(session.RoleAgent, "a"))
	k := c.signIn(session.RoleKiosk, "k")
	a.send(`{"t":"cmd","id":1,"cmd":{"verb":"checkin"}}`)
	a.reply(1)
	a.send(`{"t":"cmd","id":2,"cmd":{"verb":"ready"}}`)
	a.reply(2)
	k.MustDo("call")
	var id string
	a.until(func(_ proto.Frame, e session.Event) bool {
		r, ok := e.(session.CallRinging)
		id = r.CallID
		return ok
	})
	a.send(`{"t":"cmd","id":3,"cmd":{"verb":"answer"}}`)
	a.reply(3)
	k.WaitFor("talking", talking)

	offer := proto.Signal{CallID: id, Kind: "offer", SDP: "v=0\r\n"}
	c.srv.sendSignal("a", offer)
	// The loop flushes queued signals when it gets to them, which may be
	// after it has answered a command sent meanwhile: wait for the offer
	// itself, then make sure it came only once.
	f := a.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindSignal })
	if *f.Signal != offer {
		t.Fatalf("offer during the call: got %+v, want %+v", *f.Signal, offer)
	}
	a.send(`{"t":"cmd","id":4,"cmd":{"verb":"hold"}}`)
	if sigs, _ := a.untilReply(4); len(sigs) != 0 {
		t.Fatalf("offer during the call came again: %+v", sigs)
	}

	a.send(`{"t":"cmd","id":5,"cmd":{"verb":"hangup"}}`)
	a.reply(5)
	c.srv.sendSignal("a", offer) // as the relay would after a late ICE gathering
	a.send(`{"t":"cmd","id":6,"cmd":{"verb":"notready"}}`)
	if sigs, _ := a.untilReply(6); len(sigs) != 0 {
		t.Fatalf("a media offer arrived after the call ended: %+v", sigs)
	}
	// The loop drops it for good: nothing comes later either.
	if err := c.srv.do(context.Background(), func() {}); err != nil {
		t.Fatal(err)
	}
	a.send(`{"t":"cmd","id":7,"cmd":{"verb":"notready"}}`)
	if sigs, _ := a.untilReply(7); len(sigs) != 0 {
		t.Fatalf("a media offer arrived after the call ended: %+v", sigs)
	}

	for i, cid := range []string{id, "c999", id + ".9"} {
		a.send(fmt.Sprintf(`{"t":"signal","signal":{"call_id":%q,"kind":"answer","sdp":"v=0"}}`, cid))
		a.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"notready"}}`, 10+i))
		_, errs := a.untilReply(int64(10 + i))
		if len(errs) != 1 || errs[0].Code != proto.CodeNotFound || errs[0].Error == "" {
			t.Errorf("signal for %s: error frames %+v, want one not_found", cid, errs)
		}
	}
}
