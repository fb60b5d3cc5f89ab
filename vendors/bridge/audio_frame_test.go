package bridge

import (
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// vendorOrigin serves dir on a second loopback port, named "localhost":
// a vendor's frame of another site than agentty's page (127.0.0.1), as a
// vendor's real address is. Chromium resolves localhost to loopback itself.
func vendorOrigin(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// TestAudioThroughTheFrame: the softphone (the sfphone stand-in, the AICC
// connection bar stand-in) runs in an iframe of another origin; inside it
// the page calls getUserMedia and plays the stream back as the far end.
// agentty's 1 kHz tone reaches the frame's getUserMedia and comes back
// from the frame's tap to agentty's speaker, where Goertzel finds it: the
// hooks run in the frame, which never holds the secret (a refused frame
// would count in Refused).
func TestAudioThroughTheFrame(t *testing.T) {
	for _, c := range []struct {
		name   string
		new    func(origin string) *Vendor
		answer []string
		hangup string
	}{
		{"sfphone", func(o string) *Vendor {
			return New(SFPhone(nil, o+"/sfphone.html"), nil, chromium(t), vendors.Config{})
		}, []string{"test:answer"}, "test:hangup"},
		{"aicc", func(o string) *Vendor {
			return New(AICC(nil, o+"/ccbar.html"), map[string]string{"context_path": o}, chromium(t), vendors.Config{})
		}, []string{"test:ring", "test:answer"}, "test:release"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := c.new(vendorOrigin(t, "testdata/"+c.name))
			dev := newToneDevice(1000)
			v.OpenDevice = func() (device.Device, error) { return dev, nil }
			t.Cleanup(func() { v.Close() })
			open(t, v)
			var s session.State
			ctx := ctx10(t)
			for _, m := range c.answer {
				must(t, v.Post(ctx, wire.Call{Method: m}))
			}
			follow(t, v, &s, "talking", func(st session.State, _ session.Event) bool { _, ok := st.Talking(); return ok })
			must(t, v.Post(ctx, wire.Call{Method: "test:audio"}))

			dev.awaitTone(t, v, time.After(15*time.Second), "the frame")
			st := v.MediaStats()
			t.Logf("media %+v, levels %+v", st, v.StreamLevels())
			if st.Sent == 0 || st.Received == 0 || st.Played == 0 || st.Refused != 0 {
				t.Errorf("media %+v", st)
			}
			must(t, v.Post(ctx, wire.Call{Method: c.hangup}))
			follow(t, v, &s, "ended", func(st session.State, _ session.Event) bool { return len(st.Recent) == 1 })
		})
	}
}
