package phone

import (
	"slices"
	"testing"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/vendors/local/proto"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCodecs(t *testing.T) {
	for _, tc := range []struct {
		opt  string
		want []string
		bad  bool
	}{
		{"pcmu", []string{audio.NamePCMU}, false},
		{"PCMA", []string{audio.NamePCMA}, false},
		{"speex", nil, true},
	} {
		got, err := Codecs(tc.opt)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("Codecs(%q) = %v, %v; want %v (error %v)", tc.opt, got, err, tc.want, tc.bad)
		}
	}
	if got, _ := Codecs(""); len(got) < 2 {
		t.Errorf("Codecs(\"\") = %v, want every codec", got)
	}
}

// A phone with no calls starts, reports nothing and closes cleanly; an ICE
// candidate or DTMF for an unknown call is refused without harm.
func TestIdlePhone(t *testing.T) {
	p, err := New(Config{Send: func(proto.Signal) {}, Options: map[string]string{"codec": "pcmu"}, Loopback: true})
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
