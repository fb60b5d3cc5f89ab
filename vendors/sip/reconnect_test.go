package sip

import (
	"testing"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// The real Kamailio is killed and started again (it forgets every
// binding): the backend says connection.lost and reconnecting, registers
// again with backoff and says restored; a call then reaches it.
func TestReRegisterAfterKamailioRestart(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", alice, bob)
	a := newAgent(t, k, alice, 500, map[string]string{"expires": "2"})
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(k.Log())
		}
	})
	k.Stop()
	a.WaitFor("registration lost", func(s session.State) bool { return s.Conn == session.ConnReconnecting })
	if err := k.Start(); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("registration restored", func(s session.State) bool { return s.Conn == session.ConnEstablished })
	var lost, reconnecting, restored bool
	for _, e := range a.Seen {
		switch e.Type() {
		case session.TypeConnectionLost:
			lost = true
		case session.TypeConnectionReconnecting:
			reconnecting = lost
		case session.TypeConnectionRestored:
			restored = reconnecting
		}
	}
	if !restored {
		t.Errorf("want connection.lost, reconnecting, restored in order; saw %v", types(a.Seen))
	}
	// The new Kamailio knows alice again: bob (another backend,
	// registered now) reaches her.
	b := newAgent(t, k, bob, 1000, nil)
	b.MustDo("dial " + alice.Name)
	a.WaitFor("bob rings alice", ringing)
}

func types(es []session.Event) []session.EventType {
	out := make([]session.EventType, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}
