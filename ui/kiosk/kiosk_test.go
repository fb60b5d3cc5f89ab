package kiosk

import (
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui/common"
	"github.com/agentty/agentty/ui/internal/golden"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func TestScreens(t *testing.T) {
	up := session.State{Conn: session.ConnEstablished, Authed: true, Role: session.RoleKiosk,
		Capabilities: session.NewCapabilities(session.VerbCall, session.VerbLeave, session.VerbMute, session.VerbUnmute, session.VerbAnswer, session.VerbReject)}
	queued := up
	queued.Calls = []session.Call{{ID: "c1", Phase: session.PhaseDialing}}
	queued.Queue = session.QueueStatus{Waiting: true, Position: 12, EstimatedWait: session.Secs(14 * time.Minute)}
	talking := up
	talking.Calls = []session.Call{{ID: "c1", Phase: session.PhaseTalking, Answered: t0, Muted: true}}
	canCB := queued
	canCB.Capabilities = session.NewCapabilities(session.VerbCall, session.VerbLeave, session.VerbCallback)
	booked := up
	booked.Callback = session.CallbackStatus{Booked: true, Number: "+1 555 0100", Position: 2}
	ringback := up
	ringback.Calls = []session.Call{{ID: "c1.1", Phase: session.PhaseRinging, Callback: true}}
	lost := up
	lost.Conn = session.ConnLost
	cases := []struct {
		name string
		p    Props
		want Screen
	}{
		{"idle", Props{State: up}, Idle},
		{"queued_zh", Props{State: queued, Lang: session.LangChinese}, Waiting},
		{"talking", Props{State: talking, Now: t0.Add(42 * time.Second)}, Talking},
		{"network", Props{State: lost}, Network},
		{"queued_callback", Props{State: canCB}, Waiting},
		{"callback_booked", Props{State: booked}, CallbackBooked},
		{"ringing_back", Props{State: ringback}, RingingBack},
		{"error", Props{State: up, Message: "Can't call: you are already calling."}, Error},
		{"connecting", Props{}, Connecting},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Which(c.p); got != c.want {
				t.Errorf("screen %d, want %d", got, c.want)
			}
			m := New(common.New(nil, nil, nil))
			m.SetSize(60, 12)
			m.SetProps(c.p)
			m, _ = m.Update(nil)
			golden.Assert(t, c.name, m.View())
		})
	}
}

func TestBigNumber(t *testing.T) {
	if got := BigNumber(10); got != " ▄█ █▀█\n  █ █ █\n  ▀ ▀▀▀" {
		t.Errorf("BigNumber(10) =\n%s", got)
	}
}

// A kiosk backend without leave (or without mute) shows no key for it,
// in the footer or on the screen; one with it does.
func TestKeysFollowCapabilities(t *testing.T) {
	all := session.NewCapabilities(session.VerbCall, session.VerbLeave, session.VerbMute, session.VerbUnmute, session.VerbCallback)
	noLeave := session.NewCapabilities(session.VerbCall, session.VerbMute, session.VerbUnmute)
	waiting := session.State{Conn: session.ConnEstablished, Authed: true, Role: session.RoleKiosk,
		Calls: []session.Call{{ID: "c1", Phase: session.PhaseDialing}}, Queue: session.QueueStatus{Waiting: true, Position: 2}}
	talking := waiting
	talking.Queue = session.QueueStatus{}
	talking.Calls = []session.Call{{ID: "c1", Phase: session.PhaseTalking, Answered: t0}}
	keys := func(caps session.Capabilities, st session.State) (string, string) {
		st.Capabilities = caps
		m := New(common.New(nil, nil, nil))
		m.SetSize(60, 14)
		m.SetProps(Props{State: st, Now: t0})
		var out []string
		for _, b := range m.ShortHelp() {
			out = append(out, b.Help().Desc)
		}
		return strings.Join(out, ","), m.View()
	}
	for _, tc := range []struct {
		name     string
		caps     session.Capabilities
		st       session.State
		footer   string
		escShown bool
	}{
		{"waiting", all, waiting, "call me back,leave", true},
		{"waiting without leave", noLeave, waiting, "", false},
		{"talking", all, talking, "hang up,mute", true},
		{"talking without leave", noLeave, talking, "mute", false},
		{"talking without mute or leave", session.NewCapabilities(session.VerbCall), talking, "", false},
	} {
		footer, view := keys(tc.caps, tc.st)
		if footer != tc.footer {
			t.Errorf("%s: footer %q, want %q", tc.name, footer, tc.footer)
		}
		if got := strings.Contains(view, "ESC"); got != tc.escShown {
			t.Errorf("%s: screen names ESC: %v, want %v\n%s", tc.name, got, tc.escShown, view)
		}
	}
}
