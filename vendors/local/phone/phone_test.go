package phone

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/vendors/local/proto"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// A phone with no calls starts, reports nothing and closes cleanly; an ICE
// candidate or DTMF for an unknown call is refused without harm.
func TestIdlePhone(t *testing.T) {
	p, err := New(Config{Send: func(proto.Signal) {}, Codec: "pcmu", Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	p.HandleSignal(proto.Signal{CallID: "c1", Kind: "ice", Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host"})
	if err := p.SendDTMF("c1", "1"); err == nil {
		t.Error("dtmf on no call: want an error")
	}
	p.End("c1")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
