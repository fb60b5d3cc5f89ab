package siptrunk

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors/local/store"
)

// dialEarly sends an INVITE to number and starts the caller's leg on the
// first 183 with SDP (early media). progress is closed then; the returned
// channel gets WaitAnswer's result. Cancelling ctx sends CANCEL.
func (c *caller) dialEarly(ctx context.Context, at netip.AddrPort, number string) (progress <-chan struct{}, answer <-chan error) {
	t := c.t
	t.Helper()
	ports, err := rtpleg.Listen(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	offer, err := sdp.Offer(sdp.Local{Addr: netip.MustParseAddr("127.0.0.1"), RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: []string{"pcmu"}, User: "caller", SessionID: 1, Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	body, err := offer.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	req := sip.NewRequest(sip.INVITE, sip.Uri{User: number, Host: at.Addr().String(), Port: int(at.Port())})
	req.SetBody(body)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.AppendHeader(sip.NewHeader("P-Asserted-Identity", "<sip:+34600000021@127.0.0.1>"))
	sctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	sess, err := c.dua.WriteInvite(sctx, req)
	if err != nil {
		ports.Close()
		t.Fatal(err)
	}
	c.sess = sess
	prog := make(chan struct{})
	ans := make(chan error, 1)
	go func() {
		ans <- sess.WaitAnswer(ctx, sipgo.AnswerOptions{OnResponse: func(res *sip.Response) error {
			if res.StatusCode != 183 || c.leg != nil || len(res.Body()) == 0 {
				return nil
			}
			a, err := sdp.Parse(res.Body())
			if err != nil {
				return err
			}
			p, err := sdp.Negotiate(offer, a)
			if err != nil {
				return err
			}
			if c.leg, err = rtpleg.Start(ports, p, rtpleg.Config{Device: c.dev}); err != nil {
				return err
			}
			close(prog)
			return nil
		}})
	}()
	t.Cleanup(func() {
		if c.leg == nil {
			ports.Close()
		}
	})
	return prog, ans
}

// TestEarlyMediaCancelWhileQueued: with answer = "early" the centre sends
// 183 with SDP, the caller hears music on hold as early media without a
// 200 OK, then cancels: the INVITE ends 487, the record is abandoned,
// ended by the customer, channel sip.
func TestEarlyMediaCancelWhileQueued(t *testing.T) {
	l := newLab(t, Config{Answer: AnswerEarly})
	a := l.agent("ana", 1400, "")
	a.MustDo("checkin sales") // not ready: the caller waits
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })
	c := newCaller(t, 600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	progress, answer := c.dialEarly(ctx, l.trunk.Addr(), "900")
	select {
	case <-progress:
	case err := <-answer:
		t.Fatalf("the call settled before early media: %v", err)
	case <-timeout():
		t.Fatal("no 183 with SDP")
	}
	eventually(t, "caller hears music as early media", func() bool { return hearsMusic(c.dev) })
	if answered(l) {
		t.Fatal("the centre sent 200 OK while the caller is queued")
	}
	select {
	case err := <-answer:
		t.Fatalf("the call settled while queued: %v", err)
	default:
	}
	cancel() // CANCEL
	select {
	case err := <-answer:
		if !errors.Is(err, context.Canceled) {
			var e *sipgo.ErrDialogResponse
			if !errors.As(err, &e) || e.Res.StatusCode != 487 {
				t.Errorf("after CANCEL: %v, want cancelled (487)", err)
			}
		}
	case <-timeout():
		t.Fatal("CANCEL did not end the INVITE")
	}
	r := l.record("abandoned record", func(r store.CallRecord) bool { return r.Disposition == "abandoned" })
	if r.Channel != "sip" || r.From != "+34600000021" || r.EndedBy != string(session.ByCustomer) {
		t.Errorf("record %+v", r)
	}
	eventually(t, "no live call", func() bool {
		return l.trunk.Stats().Live == 0 && l.trunk.Stats().Outcomes["abandoned"] == 1 && l.media.Stats().RTPLegs == 0
	})
}

// TestBaresipEarlyMedia: a baresip phone dials 900 through Kamailio to a
// centre with answer = "early": it gets 183 and hears music while queued
// without the call being answered; the agent goes ready and answers:
// 200 OK, and each hears the other's tone. A second call from baresip is
// hung up while queued (a CANCEL through Kamailio): abandoned.
func TestBaresipEarlyMedia(t *testing.T) {
	l := newLab(t, Config{Answer: AnswerEarly})
	defer func() {
		if t.Failed() {
			l.log.dump(t)
		}
	}()
	a := l.agent("ana", 1400, "")
	a.MustDo("checkin sales")
	a.WaitFor("checked in", func(st session.State) bool { return st.CheckedIn })
	k, b := labPeers(t, l, 500)
	if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_PROGRESS", wait)
	start := b.HeardBytes()
	eventually(t, "baresip receives early media", func() bool { return b.HeardBytes() > start+32000 })
	if answered(l) {
		t.Fatal("the centre sent 200 OK before an agent answered")
	}
	a.MustDo("ready")
	a.WaitFor("ringing", func(st session.State) bool { _, ok := st.Ringing(); return ok })
	a.MustDo("answer")
	b.WaitEvent(t, "CALL_ESTABLISHED", wait)
	eventually(t, "agent hears baresip's 500 Hz", func() bool { return hears(a.dev, 500) })
	start = b.HeardBytes()
	eventually(t, "baresip receives the agent", func() bool { return b.HeardBytes() > start+32000 })
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_CLOSED", wait)
	pcm, rate := b.LastHeard(t)
	if !siplab.HeardTone(pcm, rate, 392) && !siplab.HeardTone(pcm, rate, 261.63) {
		t.Error("baresip heard no music as early media")
	}
	if !siplab.HeardTone(pcm, rate, 1400) {
		t.Error("baresip did not hear the agent's 1400 Hz")
	}
	l.record("answered record", func(r store.CallRecord) bool { return r.Disposition == "answered" && r.Agent == "ana" })

	a.WaitFor("wrap-up or ready", func(st session.State) bool { _, ok := st.Talking(); return !ok })
	a.MustDo("notready")
	a.WaitFor("not ready", func(st session.State) bool { return st.Agent.State == session.AgentNotReady })
	if _, err := b.Command("dial", "sip:900@"+k.Addr()); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_PROGRESS", wait)
	eventually(t, "queued", func() bool { return l.trunk.Stats().Live == 1 })
	if _, err := b.Command("hangup", ""); err != nil {
		t.Fatal(err)
	}
	b.WaitEvent(t, "CALL_CLOSED", wait)
	r := l.record("abandoned record", func(r store.CallRecord) bool { return r.Disposition == "abandoned" })
	if r.Channel != "sip" || r.From != "alice" || r.EndedBy != string(session.ByCustomer) {
		t.Errorf("record %+v", r)
	}
	eventually(t, "no live call", func() bool { return l.trunk.Stats().Live == 0 })
}

// answered reports whether the trunk's live call got its 200 OK.
func answered(l *lab) bool {
	l.trunk.mu.Lock()
	defer l.trunk.mu.Unlock()
	for _, c := range l.trunk.calls {
		if c.ok200.Load() {
			return true
		}
	}
	return false
}

// TestEarlyNoAgentsPrompt: answer = "early" with no_agents = "prompt":
// the prompt (700 Hz) is early media after a 183, then the INVITE is
// refused with 480, never answered; the record says no_agents.
func TestEarlyNoAgentsPrompt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "closed.wav")
	writeTone(t, path, hzNoAg, 1.2, 8000)
	p, err := LoadPrompts(PromptFiles{NoAgents: path})
	if err != nil {
		t.Fatal(err)
	}
	l := newLab(t, Config{Answer: AnswerEarly, NoAgents: NoAgentsPrompt, Prompts: p})
	c := newCaller(t, 600)
	progress, answer := c.dialEarly(context.Background(), l.trunk.Addr(), "900")
	select {
	case <-progress:
	case err := <-answer:
		t.Fatalf("the call settled before early media: %v", err)
	case <-timeout():
		t.Fatal("no 183 with SDP")
	}
	select {
	case err := <-answer:
		var e *sipgo.ErrDialogResponse
		if !errors.As(err, &e) || e.Res.StatusCode != 480 {
			t.Fatalf("after the prompt: %v, want 480", err)
		}
	case <-timeout():
		t.Fatal("the INVITE was not refused after the prompt")
	}
	if seq := heardSequence(c.dev.Recorded(), hzNoAg, 261.63, 392); !slices.Contains(seq, hzNoAg) {
		t.Errorf("the caller heard %v as early media, want the prompt's %v Hz", seq, hzNoAg)
	}
	r := l.record("no_agents record", func(r store.CallRecord) bool { return r.Disposition == "no_agents" })
	if r.Channel != "sip" || r.EndedBy != string(session.BySystem) {
		t.Errorf("record %+v", r)
	}
}
