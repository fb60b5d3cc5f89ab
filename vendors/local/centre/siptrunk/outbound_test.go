package siptrunk

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
)

// TestDialOutThroughKamailio: an agent dials 2001 and the call goes out
// through the trunk (Kamailio) to a baresip phone registered as 2001; it
// rings (the agent's call shows call.ringing, outbound), it answers, each
// hears the other's tone, and the agent hangs up. A number nobody
// registered fails with call.failed "no such number".
func TestDialOutThroughKamailio(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "2001", Password: "secret"})
	l := newLab(t, Config{Trunk: "sip:" + k.Addr(), CallerID: "+34910000000"})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "2001", Password: "secret", Registrar: k.Addr(), ToneHz: 500})
	b.WaitRegistered(t, 10*time.Second)
	a := l.agent("ana", 1400, "")
	a.MustDo("dial 2001")
	b.WaitEvent(t, "CALL_INCOMING", wait)
	// baresip answers 180 Ringing: the agent's call shows the far end ringing.
	a.WaitFor("far end ringing", func(st session.State) bool {
		c, ok := st.Placing()
		return ok && c.Phase == session.PhaseRinging && c.Direction == session.DirOutbound && c.To == "2001"
	})
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	eventually(t, "agent hears baresip's 500 Hz", func() bool { return hears(a.dev, 500) })
	eventually(t, "PCMU forwarded", func() bool { return l.media.Stats().Forwarded > 100 })
	a.MustDo("hangup")
	b.WaitEvent(t, "CALL_CLOSED", wait)
	pcm, rate := b.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 1400) {
		t.Error("baresip did not hear the agent's 1400 Hz")
	}
	eventually(t, "relay leg gone", func() bool { return l.media.Stats().RTPLegs == 0 })

	a.MustDo("dial 2002")
	a.WaitFor("call.failed", func(st session.State) bool {
		for _, c := range st.Recent {
			if strings.Contains(c.Outcome, "no such number") {
				return true
			}
		}
		return false
	})
}

// TestDialSIPAddressThroughKamailio: an agent dials a SIP address; the
// centre sends it out through the trunk as it is (its host, the proxy's
// domain, resolves nowhere: only the trunk can route it) and baresip,
// registered as 2001, answers; the console was told the centre dials
// URIs.
func TestDialSIPAddressThroughKamailio(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "2001", Password: "secret"})
	l := newLab(t, Config{Trunk: "sip:" + k.Addr()})
	b := siplab.StartBaresip(t, siplab.BaresipConfig{User: "2001", Password: "secret", Registrar: k.Addr(), ToneHz: 500})
	b.WaitRegistered(t, 10*time.Second)
	a := l.agent("ana", 1400, "")
	a.WaitFor("dials URIs", func(st session.State) bool { return st.DialsURIs })
	a.MustDo("dial sip:2001@" + k.Domain)
	b.WaitEvent(t, "CALL_INCOMING", wait)
	if _, err := b.Command("accept", ""); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	eventually(t, "agent hears baresip's 500 Hz", func() bool { return hears(a.dev, 500) })
	a.MustDo("hangup")
	b.WaitEvent(t, "CALL_CLOSED", wait)
}

// TestFarEndReInvites: an agent dials 2001 through the trunk to sipp,
// which answers and then re-INVITEs: a hold (a=sendonly: the centre
// answers recvonly and stops sending, the agent's call shows held by the
// far end), a retrieve (sendrecv: sending again, the mark gone), a
// malformed offer (400, a log line, the call goes on), a session refresh
// with no SDP (the 200 carries an SDP), then hangs up. sipp checks every
// answer; the call stays up throughout and ends by the far end's BYE.
func TestFarEndReInvites(t *testing.T) {
	listen := fmt.Sprintf("127.0.0.1:%d", siplab.FreePort(t))
	s := siplab.StartSipp(t, siplab.SippUASReInvite, "", "-s", "2001", "-m", "1", "-rsa", listen)
	l := newLab(t, Config{Listen: listen, Trunk: "sip:" + s.Addr(), CallerID: "+34910000000"})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
			t.Log(s.Log())
		}
	}()
	a := l.agent("ana", 1400, "")
	a.MustDo("dial 2001")
	a.WaitFor("talking", func(st session.State) bool { _, ok := st.Talking(); return ok })
	sending := func(want bool) func() bool {
		return func() bool {
			l.trunk.mu.Lock()
			defer l.trunk.mu.Unlock()
			for _, oc := range l.trunk.outs {
				oc.mu.Lock()
				leg := oc.leg
				oc.mu.Unlock()
				if leg != nil && leg.Params().Sending == want && leg.Params().Receiving {
					return true
				}
			}
			return false
		}
	}
	eventually(t, "the far end's hold: the centre stops sending", sending(false))
	a.WaitFor("held by the far end", func(st session.State) bool {
		c, ok := st.Talking()
		return ok && c.RemoteHeld
	})
	eventually(t, "the far end's retrieve: the centre sends again", sending(true))
	a.WaitFor("off the far end's hold", func(st session.State) bool {
		c, ok := st.Talking()
		return ok && !c.RemoteHeld
	})
	eventually(t, "the malformed offer refused", func() bool { return l.log.hasAll("refused in dialog", "code=400") })
	eventually(t, "the refresh answered", func() bool { return l.log.has("far end refreshed the session") })
	a.WaitFor("the far end hangs up", func(st session.State) bool {
		for _, c := range st.Recent {
			if c.EndedBy == session.ByCustomer {
				return true
			}
		}
		return false
	})
	s.Wait(t, wait)
}
