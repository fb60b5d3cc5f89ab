package rtc_test

import (
	"errors"
	"fmt"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/rtc"
)

// The console's media for one call: open the sound card (or fall back to
// the null device and say so once), make a peer connection with our media
// engine, wire the device to it, then negotiate with the far end as usual.
func ExampleNewCall() {
	dev, err := device.OpenOrNull(device.Config{}) // default mic and speaker
	if errors.Is(err, device.ErrNullFallback) {
		fmt.Println(err) // show once: "device: no sound device, using the null device (no audio): ..."
	}
	defer dev.Close()

	api, err := rtc.NewAPI(rtc.APIConfig{}) // Opus, PCMU, PCMA, telephone-event
	if err != nil {
		panic(err)
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		panic(err)
	}
	defer pc.Close()

	digits := make(chan rune, 16)
	call, err := rtc.NewCall(pc, rtc.CallConfig{
		Device: dev,
		OnDigit: func(d rune) { // pion's goroutine: hand over, never block
			select {
			case digits <- d:
			default:
			}
		},
	})
	if err != nil {
		panic(err)
	}
	defer call.Close()

	// ... offer/answer through the vendor's signalling ...

	_ = call.SendDTMF("123#")
	call.SetMuted(true)
	lv := call.Levels() // from a 15 Hz tea.Tick: lv.Mic.PeakDBFS, lv.Speaker.RMSDBFS
	q := call.Quality() // q.Loss, q.Jitter, q.RTT, q.MOS, q.Degraded, q.Reason
	_, _ = lv, q
}
