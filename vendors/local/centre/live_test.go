package centre

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/store"
)

// A call live when the centre stops is closed at the next start: ended by
// the system with the note "centre restarted" and its real talk time, and
// the next call's id is new.
func TestLiveCallClosedAtRestart(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.signIn(session.RoleAgent, "ana")
	k := c.signIn(session.RoleKiosk, "lobby")
	a.MustDo("checkin")
	a.MustDo("ready")
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	c.advance(3 * time.Second)
	a.MustDo("answer")
	k.WaitFor("talking", talking)
	c.advance(40 * time.Second)
	if err := c.srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(ServerConfig{DataDir: c.srv.cfg.DataDir, Clock: c.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	recs, err := srv.Store().Calls(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("records after the restart: %+v", recs)
	}
	r := recs[0]
	if r.EndedBy != "system" || r.Note != store.NoteRestarted || r.Disposition != "answered" || r.Talk != 40*time.Second || r.Wait != 3*time.Second {
		t.Fatalf("the live call's record: %+v", r)
	}
	var seq uint64
	srv.do(context.Background(), func() { seq = srv.eng.CallSeq() })
	if seq < 1 {
		t.Fatalf("call ids start again at c1 after a restart (seq %d)", seq)
	}
}

// A call whose agent's link dropped is recorded with the time it lasted,
// not with the grace period the centre waited for the agent.
func TestDroppedCallRecordsItsRealLength(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	a := c.raw(c.token(session.RoleAgent, "a"))
	k := c.signIn(session.RoleKiosk, "k")
	a.send(`{"t":"cmd","id":1,"cmd":{"verb":"checkin"}}`)
	a.reply(1)
	a.send(`{"t":"cmd","id":2,"cmd":{"verb":"ready"}}`)
	a.reply(2)
	k.MustDo("call")
	a.until(func(_ proto.Frame, e session.Event) bool { _, ok := e.(session.CallRinging); return ok })
	a.send(`{"t":"cmd","id":3,"cmd":{"verb":"answer"}}`)
	a.reply(3)
	k.WaitFor("talking", talking)
	c.advance(10 * time.Second)
	detached := make(chan string, 1)
	c.srv.do(context.Background(), func() { c.srv.onDetach = func(u string) { detached <- u } })
	a.ws.CloseNow()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	select {
	case <-detached:
	case <-deadline.C:
		t.Fatal("the server did not notice the drop")
	}
	c.advance(31 * time.Second)
	k.WaitFor("ended after the grace period", idle)
	recs, _ := c.srv.Store().Calls(context.Background())
	if len(recs) != 1 || recs[0].Talk != 10*time.Second || !recs[0].Ended.Equal(recs[0].Answered.Add(10*time.Second)) {
		t.Fatalf("records %+v", recs)
	}
}
