package rtc_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/mixer"
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

// The embedded centre's whisper: the supervisor's leg and the customer's
// leg are decoded into a mixer bus; the agent hears both, the customer
// hears only the agent. Each leg is its own peer connection.
func ExampleNewInbound_whisper() {
	bus := mixer.NewBus()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = bus.Run(ctx) }() // the centre owns this goroutine
	defer func() { stop(); <-done }()

	api, _ := rtc.NewAPI(rtc.APIConfig{})
	legs := map[string]*webrtc.PeerConnection{}
	for _, party := range []string{"agent", "customer", "supervisor"} {
		pc, _ := api.NewPeerConnection(webrtc.Configuration{})
		defer pc.Close()
		legs[party] = pc
		// Decode what the party says into the bus (the bus paces nothing:
		// Pace the player).
		pc.OnTrack(func(tr *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
			in, err := rtc.NewInbound(tr, r, rtc.InboundConfig{Sink: bus.Input(party), Pace: true})
			if err == nil {
				_ = in // keep it; in.Close() when the leg ends
			}
		})
	}
	// What each party hears: Output blocks until the bus ticks, so it paces
	// the sender.
	hear := map[string]func(string) bool{
		"agent":      nil, // everyone but the agent
		"customer":   func(in string) bool { return in == "agent" },
		"supervisor": nil,
	}
	for party, rule := range hear {
		out, _ := rtc.AttachOutbound(legs[party], rtc.OutboundConfig{Source: bus.Output(party, rule)})
		defer out.Close()
	}
	// Music on hold for a held customer instead:
	//   rtc.AttachOutbound(pc, rtc.OutboundConfig{Source: device.NewFuncSource((&audio.MusicOnHold{}).Fill, false), Pace: true})
}
