package media_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/store"
	"github.com/agentty/agentty/vendors/vendortest"
)

// TestSilentLegReportsMediaLost: over real WebRTC legs, the kiosk's
// phone stops sending (its uplink dies) while it still hears the agent.
// Neither phone can tell (each hears the centre; their own silence watch
// is set to an hour here), only the centre can: the agent and the kiosk
// both get call.media lost from the relay, and call.media restored when
// packets flow again (issue 16 point 3: the centre kept reporting a call
// whose party had gone as if it were fine).
func TestSilentLegReportsMediaLost(t *testing.T) {
	c := newCentre(t, media.Config{MediaSilence: 400 * time.Millisecond})
	kd, ad := newTap(nil, kioskHz), newTap(nil, agentHz)
	var dead atomic.Bool
	agent := c.signInDeaf(session.RoleAgent, "ana", ad, nil)
	kiosk := c.signInDeaf(session.RoleKiosk, "lobby", kd, func(uint16) bool { return dead.Load() })
	connect(t, kiosk, agent)
	const span = 300 * time.Millisecond
	expect(t, "talk", "agent", ad.window(t, 0, span), heard{kioskHz: true})
	media := func(want session.MediaState) func(session.State) bool {
		return func(st session.State) bool {
			call, ok := st.Talking()
			return ok && call.Media == want
		}
	}
	notLost := func(st session.State) bool {
		call, ok := st.Talking()
		return ok && call.Media != session.MediaLost
	}
	// A slow start may have shown as lost then restored: settle first.
	agent.WaitFor("agent's media flowing", notLost)
	kiosk.WaitFor("kiosk's media flowing", notLost)

	dead.Store(true)
	agent.WaitFor("agent told the kiosk's media is lost", media(session.MediaLost))
	kiosk.WaitFor("kiosk told its media is lost", media(session.MediaLost))
	expect(t, "kiosk silent", "kiosk", kd.window(t, 0, span), heard{agentHz: true})

	dead.Store(false)
	agent.WaitFor("agent told the media is back", media(session.MediaRestored))
	kiosk.WaitFor("kiosk told the media is back", media(session.MediaRestored))
	expect(t, "restored", "agent", ad.window(t, span, span), heard{kioskHz: true})
}

// signInDeaf signs in a party whose phone never reports its own silence,
// so that every call.media event it shows comes from the centre.
func (c *centre) signInDeaf(role session.Role, name string, dev *tap, drop func(uint16) bool) *party {
	c.t.Helper()
	tok, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: name, Role: role, Groups: []string{"sales"}}, 0, time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	cl, err := local.NewMediaClient(local.ClientConfig{Server: c.url, Token: tok}, phone.Config{
		Loopback: true, Drop: drop, QualityEvery: 200 * time.Millisecond, MediaSilence: time.Hour,
		OpenDevice: func(string) (device.Device, error) { return dev, nil },
	})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		c.t.Fatal(err)
	}
	p := &party{cl: cl, dev: dev, Session: vendortest.Follow(c.t, cl, wait)}
	p.WaitFor(name+" signed in", func(st session.State) bool { return st.Authed })
	return p
}

// TestSignallingOnlyPartyIsNotMediaLost: a kiosk without media (a plain
// client, which never answers the centre's offer) talks to an agent with
// a phone; neither is told the media is lost, whatever the time: no audio
// is what the kiosk asked for.
func TestSignallingOnlyPartyIsNotMediaLost(t *testing.T) {
	const silence = 200 * time.Millisecond
	c := newCentre(t, media.Config{MediaSilence: silence})
	ad := newTap(nil, agentHz)
	agent := c.signInDeaf(session.RoleAgent, "ana", ad, nil)
	tok, err := c.srv.Store().CreateToken(context.Background(), store.User{ID: "lobby", Role: session.RoleKiosk, Groups: []string{"sales"}}, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cl, err := local.NewClient(local.ClientConfig{Server: c.url, Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	kiosk := &party{Session: vendortest.Follow(t, cl, wait)}
	kiosk.WaitFor("lobby signed in", func(st session.State) bool { return st.Authed })
	connect(t, kiosk, agent)
	// Ten times the silence limit, as the relay counts the agent's packets
	// (its microphone is paced at real time, 50 packets a second).
	start := c.media.Stats().Received
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(wait)
	for c.media.Stats().Received < start+uint64(10*silence/(20*time.Millisecond)) {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("the relay received %d packets from the agent", c.media.Stats().Received-start)
		}
	}
	for who, p := range map[string]*party{"agent": agent, "kiosk": kiosk} {
		p.Drain()
		for _, e := range p.Seen {
			if cm, ok := e.(session.CallMedia); ok && cm.State == session.MediaLost {
				t.Errorf("%s told %+v", who, cm)
			}
		}
	}
}
