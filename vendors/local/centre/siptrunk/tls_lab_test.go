package siptrunk

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors/local/store"
)

// TestBaresipOverTLS: baresip (registered at Kamailio over UDP) dials 900
// straight at the centre's TLS listener, trusting the test's self-signed
// certificate (sip_cafile); an agent answers, each hears the other's tone,
// and the agent hangs up: baresip gets the BYE; answered, channel sip.
func TestBaresipOverTLS(t *testing.T) {
	certPath, keyPath, _ := writeCert(t)
	l := newLab(t, Config{ListenTLS: "127.0.0.1:0", TLSCert: certPath, TLSKey: keyPath})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	a.goReady()
	k := siplab.StartKamailioTrunk(t, l.trunk.Addr().String(), siplab.User{Name: "alice", Password: "secret"})
	dir := t.TempDir()
	audio := fmt.Sprintf("audio_source ausine,500\naudio_player aufile,%s\nausrc_srate 48000\nausrc_channels 2\nauplay_srate 48000\nmodule sndfile.so\nsip_cafile %s",
		filepath.Join(dir, "play.wav"), certPath)
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "alice", Password: "secret", Registrar: k.Addr(), ToneHz: 500, Audio: audio})
	b.WaitRegistered(t, 10*time.Second)
	if _, err := b.Command("dial", fmt.Sprintf("sip:900@%s;transport=tls", l.trunk.TLSAddr())); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	if tr := callTransport(l); tr != "TLS" {
		t.Fatalf("the INVITE came over %q, want TLS", tr)
	}
	a.MustDo("answer")
	b.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "agent hears baresip's 500 Hz", func() bool { return hears(a.dev, 500) })
	start := b.HeardBytes()
	eventually(t, "baresip receives audio", func() bool { return b.HeardBytes() > start+32000 })
	a.MustDo("hangup") // the centre's BYE goes back over baresip's TLS connection
	b.WaitEvent(t, "CALL_CLOSED", wait)
	if pcm, rate := b.LastHeard(t); !siplab.HeardTone(pcm, rate, 1400) {
		t.Error("baresip did not hear the agent's 1400 Hz")
	}
	r := l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" })
	if r.Channel != "sip" || r.Agent != "ana" {
		t.Errorf("record %+v", r)
	}
}

// callTransport is the transport of the trunk's live call's INVITE.
func callTransport(l *lab) string {
	l.trunk.mu.Lock()
	defer l.trunk.mu.Unlock()
	for _, c := range l.trunk.calls {
		return c.sess.InviteRequest.Transport()
	}
	return ""
}
