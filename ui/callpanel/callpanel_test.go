package callpanel

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func TestView(t *testing.T) {
	talking := session.Call{ID: "c1", Direction: session.DirInbound, From: "+34917370192", Team: "sales",
		Phase: session.PhaseTalking, Started: t0, Answered: t0.Add(5 * time.Second), Wait: session.Secs(40 * time.Second),
		HasQuality: true, Quality: session.Quality{LossPct: 1.25, JitterMS: 18, MOS: 4.1}, Muted: true, DTMF: "12#"}
	held := session.Call{ID: "c2", Direction: session.DirOutbound, To: "+15550100", Phase: session.PhaseHeld,
		Started: t0, Answered: t0, HeldSince: t0.Add(time.Minute), Wait: session.Unknown}
	ringing := session.Call{ID: "c3", Direction: session.DirInbound, From: "+15550199", Contact: "Bob (Initech)",
		Phase: session.PhaseRinging, Started: t0.Add(110 * time.Second), Wait: session.Unknown}
	last := session.Call{ID: "c0", Direction: session.DirInbound, From: "+15550100", Phase: session.PhaseEnded,
		EndedBy: session.ByCustomer, Duration: session.Secs(95 * time.Second)}
	callback := session.Call{ID: "c4", Direction: session.DirInbound, From: "+15550142", Team: "sales", Callback: true,
		Phase: session.PhaseRinging, Started: t0, Wait: session.Secs(4 * time.Minute)}
	recorded := talking
	recorded.Muted, recorded.Recording = false, true
	remote := talking
	remote.Muted, remote.RemoteHeld = false, true
	moving := talking
	moving.Muted, moving.Transfer = false, session.TransferProgress{To: "203", Status: 180, Reason: "Ringing"}
	full := talking
	full.Muted, full.RecordError = false, "the disk is full: recording stopped, the call goes on"
	// An agent's dial through the SIP trunk: the far end answered 180.
	farRinging := session.Call{ID: "c5", Direction: session.DirOutbound, To: "+34917370192",
		Phase: session.PhaseRinging, Started: t0, Wait: session.Unknown}
	cases := map[string]Props{
		"farringing":   {Calls: []session.Call{farRinging}, Now: t0.Add(7 * time.Second)},
		"callback":     {Calls: []session.Call{callback}, Now: t0.Add(3 * time.Second)},
		"recording":    {Calls: []session.Call{recorded}, Now: t0.Add(time.Minute)},
		"remoteheld":   {Calls: []session.Call{remote}, Now: t0.Add(time.Minute)},
		"transferring": {Calls: []session.Call{moving}, Now: t0.Add(time.Minute)},
		"recordfull":   {Calls: []session.Call{full}, Now: t0.Add(time.Minute)},
		"idle":         {Hint: "Ready: calls ring here; a answers.", Last: &last, Now: t0},
		"three":        {Calls: []session.Call{talking, held, ringing}, Names: map[string]string{"+34917370192": "Ana García (Acme)"}, Now: t0.Add(2 * time.Minute), Mic: 0.5, Spk: 0.8, HasLevel: true},
		"ringing":      {Calls: []session.Call{ringing}, Now: t0.Add(2 * time.Minute)},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			m := New(common.New(nil, nil, nil))
			m.SetSize(70, 14)
			m.SetProps(p)
			m, _ = m.Update(nil)
			golden.Assert(t, name, m.View())
		})
	}
}

func TestKeysFollowPhase(t *testing.T) {
	km := common.DefaultKeyMap()
	desc := func(calls ...session.Call) (out []string) {
		for _, b := range Keys(&km, calls) {
			out = append(out, b.Help().Desc)
		}
		return out
	}
	if got := desc(session.Call{Phase: session.PhaseRinging}); len(got) != 2 || got[0] != "answer" {
		t.Errorf("ringing: %v", got)
	}
	if got := desc(session.Call{Phase: session.PhaseRinging, Direction: session.DirOutbound}); len(got) == 0 || got[0] != "end call" {
		t.Errorf("far end ringing: %v, want end call first", got)
	}
	if got := desc(session.Call{Phase: session.PhaseHeld}); got[0] != "resume" {
		t.Errorf("held: %v", got)
	}
	if got := desc(); len(got) != 0 {
		t.Errorf("idle: %v", got)
	}
}
