package siptrunk

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
)

// lossyPath stands between a test caller's RTP port and the centre's, on
// one socket: what the caller sends goes on to the centre; what comes
// from the centre goes on to the caller, but every dropEvery-th packet,
// so that the caller's own RTCP receiver reports tell the centre of loss.
type lossyPath struct {
	conn      *net.UDPConn
	caller    netip.AddrPort
	centre    atomic.Pointer[netip.AddrPort]
	dropEvery int
	dropped   atomic.Int64
	done      chan struct{}
}

func newLossyPath(t *testing.T, caller netip.AddrPort, dropEvery int) *lossyPath {
	t.Helper()
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	p := &lossyPath{conn: conn, caller: caller, dropEvery: dropEvery, done: make(chan struct{})}
	go p.run()
	t.Cleanup(func() { conn.Close(); <-p.done })
	return p
}

func (p *lossyPath) addr() netip.AddrPort { return p.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

func (p *lossyPath) run() {
	defer close(p.done)
	buf := make([]byte, 1500)
	n := 0
	for {
		k, from, err := p.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if from == p.caller {
			if c := p.centre.Load(); c != nil {
				_, _ = p.conn.WriteToUDPAddrPort(buf[:k], *c)
			}
			continue
		}
		n++
		if n%p.dropEvery == 0 {
			p.dropped.Add(1)
			continue
		}
		_, _ = p.conn.WriteToUDPAddrPort(buf[:k], p.caller)
	}
}

// dialLossy is caller.dial with the caller's RTP behind a lossyPath (its
// RTCP goes straight both ways, every half second from the caller).
func (c *caller) dialLossy(t *testing.T, at netip.AddrPort, number string, dropEvery int) *lossyPath {
	t.Helper()
	lo := netip.MustParseAddr("127.0.0.1")
	ports, err := rtpleg.Listen(lo)
	if err != nil {
		t.Fatal(err)
	}
	path := newLossyPath(t, ports.RTP(), dropEvery)
	offer, err := sdp.Offer(sdp.Local{Addr: lo, RTPPort: path.addr().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: []string{"pcmu"}, User: "caller", SessionID: 1, Version: 1})
	if err != nil {
		ports.Close()
		t.Fatal(err)
	}
	body, _ := offer.Marshal()
	req := sip.NewRequest(sip.INVITE, sip.Uri{User: number, Host: at.Addr().String(), Port: int(at.Port())})
	req.SetBody(body)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	sess, err := c.dua.WriteInvite(ctx, req)
	if err != nil {
		ports.Close()
		t.Fatal(err)
	}
	c.sess = sess
	err = sess.WaitAnswer(ctx, sipgo.AnswerOptions{})
	if err == nil {
		err = sess.Ack(ctx)
	}
	var p rtpleg.Params
	if err == nil {
		var ans *sdp.Session
		if ans, err = sdp.Parse(sess.InviteResponse.Body()); err == nil {
			p, err = sdp.Negotiate(offer, ans)
		}
	}
	if err != nil {
		ports.Close()
		var e *sipgo.ErrDialogResponse
		if errors.As(err, &e) {
			t.Fatalf("dial: %d", e.Res.StatusCode)
		}
		t.Fatal(err)
	}
	centre, centreRTCP := p.Remote, p.RemoteRTCP
	if !centreRTCP.IsValid() {
		centreRTCP = netip.AddrPortFrom(centre.Addr(), centre.Port()+1)
	}
	path.centre.Store(&centre)
	p.Remote, p.RemoteRTCP = path.addr(), centreRTCP
	if c.leg, err = rtpleg.Start(ports, p, rtpleg.Config{Device: c.dev, NoLatch: true, ReportEvery: 500 * time.Millisecond}); err != nil {
		ports.Close()
		t.Fatal(err)
	}
	return path
}

// TestRTPLegQualityAndSilence: a SIP caller (an rtpleg peer on loopback)
// whose downlink loses one packet in four reports it in its RTCP receiver
// reports; the relay turns the SIP leg's figures into call.quality for
// the agent, whose console shows the loss and a MOS below a clean call's.
// Then the caller's packets stop: the relay's silence watch, which now
// takes plain RTP legs, tells the agent call.media lost; they flow again:
// call.media restored.
func TestRTPLegQualityAndSilence(t *testing.T) {
	l := newLab(t, Config{})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	a.goReady()
	c := newCaller(t, 600)
	path := c.dialLossy(t, l.trunk.Addr(), "900", 4)
	a.answerRinging()
	eventually(t, "agent hears the caller's 600 Hz", func() bool { return hears(a.dev, 600) })
	eventually(t, "the path drops the centre's packets", func() bool { return path.dropped.Load() > 20 })
	a.WaitFor("the SIP leg's loss in the agent's call.quality", func(st session.State) bool {
		cl, ok := st.Talking()
		return ok && cl.HasQuality && cl.Quality.LossPct >= 15 && cl.Quality.LossPct <= 40
	})
	if cl, _ := a.State.Talking(); cl.Quality.MOS <= 0 || cl.Quality.MOS >= 4 {
		t.Errorf("quality with a quarter of the caller's audio lost: %+v, want a MOS under 4", cl.Quality)
	}

	p := c.leg.Params()
	p.Sending = false // the caller's packets stop (no BYE, no re-INVITE)
	if err := c.leg.Update(p); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("call.media lost", func(st session.State) bool {
		cl, ok := st.Talking()
		return ok && cl.Media == session.MediaLost
	})
	eventually(t, "the relay saw the SIP leg fall silent", func() bool { return l.log.hasAll("media: call media lost", "user=ana") })
	p.Sending = true
	if err := c.leg.Update(p); err != nil {
		t.Fatal(err)
	}
	a.WaitFor("call.media restored", func(st session.State) bool {
		cl, ok := st.Talking()
		return ok && cl.Media == session.MediaRestored
	})
	eventually(t, "the relay saw the SIP leg again", func() bool { return l.log.hasAll("media: call media restored", "user=ana") })
	c.hangup()
	a.WaitFor("call ended", func(st session.State) bool { _, ok := st.Talking(); return !ok })
}

// hasAll reports whether one log line holds every one of subs.
func (b *logBuf) hasAll(subs ...string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, l := range b.lines {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(l, s)
		}
		if all {
			return true
		}
	}
	return false
}
