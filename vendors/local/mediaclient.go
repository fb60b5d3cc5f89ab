package local

import (
	"context"
	"net"
	"net/url"
	"sync"

	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/proto"
)

// MediaClient is a Client with a phone: the calls carry audio. Commands
// go to the centre as with Client; a dtmf the centre accepts is also sent
// in the media as RFC 4733 events, mute and unmute switch the microphone,
// and call.quality, connection.degraded and media.mic events from the
// phone join the client's events.
//
// The registry's factory reads vendors.Config.Media: the devices (see
// `agentty devices`) or WAV files, the codec ("opus" or "pcmu"); Off
// leaves calls silent (signalling only: a bare Client).
type MediaClient struct {
	*Client
	Phone *phone.Phone

	out     chan session.Event
	media   chan session.Event
	far     farQuality // forward's only
	barrier chan chan struct{}
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

// newVendor is the registry's factory: a MediaClient unless media is off.
func newVendor(cfg vendors.Config) (vendors.Vendor, error) {
	cc := ClientConfig{Server: cfg.Server, Token: cfg.Token, Clock: cfg.Clock, Logger: cfg.Logger}
	if cfg.Media.Off {
		return NewClient(cc)
	}
	return NewMediaClient(cc, phone.Config{Devices: Devices(cfg.Media), Codec: cfg.Media.Codec, Logger: cfg.Logger, Loopback: loopbackURL(cfg.Server)})
}

// Devices is the device part of a backend's media settings.
func Devices(m vendors.Media) stream.DeviceConfig {
	return stream.DeviceConfig{Mic: m.Mic, Speaker: m.Speaker, MicWAV: m.MicWAV, SpeakerWAV: m.SpeakerWAV}
}

// loopbackURL reports whether the centre's URL names this host.
func loopbackURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// NewMediaClient returns an unconnected client with a phone; pc.Send,
// pc.OnEvent and cc.OnSignal are set here.
func NewMediaClient(cc ClientConfig, pc phone.Config) (*MediaClient, error) {
	m := &MediaClient{out: make(chan session.Event, EventBuffer), media: make(chan session.Event, 64), far: farQuality{},
		barrier: make(chan chan struct{}), done: make(chan struct{})}
	var ready sync.WaitGroup
	ready.Add(1)
	pc.Send = func(s proto.Signal) {
		ready.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-m.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		if err := m.Client.Signal(ctx, s); err != nil {
			m.Client.cfg.Logger.Debug("local: media signal", "err", err)
		}
	}
	pc.OnEvent = func(e session.Event) {
		select {
		case m.media <- e:
		default: // a quality report may be skipped; the next one follows
		}
	}
	if pc.Logger == nil {
		pc.Logger = cc.Logger
	}
	ph, err := phone.New(pc)
	if err != nil {
		return nil, err
	}
	cc.OnSignal = ph.HandleSignal
	cl, err := NewClient(cc)
	if err != nil {
		ph.Close()
		return nil, err
	}
	m.Client, m.Phone = cl, ph
	ready.Done()
	m.wg.Add(1)
	go m.forward()
	return m, nil
}

// Levels implements vendors.Metered: the phone's microphone and speaker
// peaks.
func (m *MediaClient) Levels() (micDBFS, speakerDBFS float64, ok bool) {
	if m.Phone == nil {
		return 0, 0, false
	}
	l := m.Phone.Levels()
	return float64(l.Mic.PeakDBFS), float64(l.Speaker.PeakDBFS), true
}

// ListDevices implements vendors.Devices: the sound server's devices,
// marking those the phone's next call opens.
func (m *MediaClient) ListDevices() ([]session.AudioDevice, error) {
	ls, err := m.Phone.Devices().Listed()
	out := make([]session.AudioDevice, len(ls))
	for i, l := range ls {
		out[i] = session.AudioDevice(l)
	}
	return out, err
}

// UseDevice implements vendors.Devices: the phone's next call opens it.
func (m *MediaClient) UseDevice(capture bool, name string) error {
	return m.Phone.Devices().Use(capture, name)
}

var (
	_ vendors.Metered = (*MediaClient)(nil)
	_ vendors.Devices = (*MediaClient)(nil)
)

// forward merges the client's and the phone's events and ends calls' media
// when the calls end. It closes Events after the client's close.
func (m *MediaClient) forward() {
	defer m.wg.Done()
	defer close(m.out)
	in := m.Client.Events()
	for {
		select {
		case e, ok := <-in:
			if !ok || !m.passClient(e) {
				return
			}
		case e := <-m.media:
			if q, isQ := e.(session.CallQuality); isQ {
				e = m.far.merge(q)
			}
			if !m.pass(e) {
				return
			}
		case ack := <-m.barrier:
			// Everything the client queued before a reply goes out before
			// Send returns, as the Vendor contract asks.
			for len(in) > 0 {
				e, ok := <-in
				if !ok || !m.passClient(e) {
					close(ack)
					return
				}
			}
			close(ack)
		}
	}
}

// passClient passes on an event from the centre; its call.quality of a
// SIP leg is kept for the phone's next figure instead (farquality.go).
func (m *MediaClient) passClient(e session.Event) bool {
	switch e := e.(type) {
	case session.CallQuality:
		m.far.keep(e)
		return true
	case session.CallEnded:
		m.far.end(e.CallID)
	}
	return m.pass(e)
}

func (m *MediaClient) pass(e session.Event) bool {
	if ce, ok := e.(session.CallEnded); ok {
		m.Phone.End(ce.CallID)
	}
	switch h := e.(type) {
	case session.CallHeld:
		m.Phone.SetHeld(h.CallID, true)
	case session.CallRetrieved:
		m.Phone.SetHeld(h.CallID, false)
	}
	if cc, ok := e.(session.CallConference); ok && cc.Merged != "" {
		m.Phone.End(cc.Merged) // the consultation joined the call: its leg is gone
	}
	select {
	case m.out <- e:
		return true
	case <-m.done:
		return false
	}
}

// Events returns the merged events.
func (m *MediaClient) Events() <-chan session.Event { return m.out }

// Connect signs in; as with Send, the events the sign-in produced are on
// Events before it returns (the Vendor contract; headless mode relies on it
// to check its first command against a signed-in state).
func (m *MediaClient) Connect(ctx context.Context) error {
	err := m.Client.Connect(ctx)
	m.flush()
	return err
}

// flush waits until forward has passed on everything the client queued.
func (m *MediaClient) flush() {
	ack := make(chan struct{})
	select {
	case m.barrier <- ack:
		<-ack
	case <-m.done:
	}
}

// Send carries out cmd, then does its media part.
func (m *MediaClient) Send(ctx context.Context, cmd session.Command) error {
	err := m.Client.Send(ctx, cmd)
	m.flush()
	if err != nil {
		return err
	}
	switch cmd.Verb {
	case session.VerbDTMF:
		if err := m.Phone.SendDTMF(cmd.CallID, cmd.Digits); err != nil {
			m.Client.cfg.Logger.Warn("local: dtmf in media", "err", err)
		}
	case session.VerbMute:
		m.Phone.SetMuted(true)
	case session.VerbUnmute:
		m.Phone.SetMuted(false)
	}
	return nil
}

// Close hangs the phone up, then closes the client; it waits for both.
func (m *MediaClient) Close() error {
	m.once.Do(func() { close(m.done) })
	perr := m.Phone.Close()
	cerr := m.Client.Close()
	m.wg.Wait()
	if cerr != nil {
		return cerr
	}
	return perr
}
