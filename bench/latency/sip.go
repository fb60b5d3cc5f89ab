package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/sip/ua"
)

// sipCall runs the lab's Kamailio and a baresip (speaker agentty_b
// through ALSA's PulseAudio plugin, auto-answer, silence in) registered
// on it, and agentty's SIP phone (sip/ua with the product's audio:
// rtpleg, jitter buffer, malgo microphone agentty_a.monitor through
// device.LiveEdge) registered beside it calls baresip through Kamailio,
// PCMU. Compare with the baresip path: baresip -> baresip, no proxy.
func sipCall(ctx context.Context) (func(), error) {
	for _, bin := range []string{"kamailio", "baresip"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, errors.New(bin + " not installed")
		}
	}
	dir, err := os.MkdirTemp("", "agentty-latency-sip")
	if err != nil {
		return nil, err
	}
	var closers []func()
	stop := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
		os.RemoveAll(dir)
	}
	sub := func(name string) string {
		d := filepath.Join(dir, name)
		os.Mkdir(d, 0o700)
		return d
	}
	k, err := siplab.LaunchKamailio(sub("kamailio"), "MD5", siplab.User{Name: "201", Password: "pa"}, siplab.User{Name: "202", Password: "pb"})
	if err != nil {
		stop()
		return nil, err
	}
	closers = append(closers, k.Stop)
	silence := filepath.Join(dir, "silence.wav")
	if err := device.WriteWAV(silence, make([]int16, 48000*120), 48000); err != nil {
		stop()
		return nil, err
	}
	audio := strings.Join([]string{"audio_player alsa,pulse", "audio_source aufile," + silence, "audio_alert none",
		"audio_srate 48000", "ausrc_srate 48000", "auplay_srate 48000", "audio_channels 1",
		"ausrc_channels 1", "auplay_channels 1", "audio_buffer 20-160", "jitter_buffer_delay 1-5",
		"rtp_timeout 0", "module alsa.so"}, "\n")
	b, err := siplab.LaunchBaresip(sub("baresip"), siplab.BaresipConfig{User: "202", Password: "pb", Registrar: k.Addr(),
		AnswerMode: "auto", Audio: audio, Env: []string{"PULSE_SINK=agentty_b"}, Extra: ";audio_codecs=PCMU"})
	if err != nil {
		stop()
		return nil, err
	}
	closers = append(closers, b.Stop)
	if err := b.Registered(5 * time.Second); err != nil {
		stop()
		return nil, err
	}
	u, err := ua.New(ua.Config{User: "201", Password: "pa", Domain: k.Addr(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		stop()
		return nil, err
	}
	closers = append(closers, func() { u.Close() })
	answered := make(chan struct{}, 1)
	u.EnableCalls(ua.Media{Codecs: []string{"pcmu"}, Device: func() (device.Device, error) {
		d, err := device.Open(device.Config{Capture: "agentty_a.monitor", NoPlayback: true})
		if err != nil {
			return nil, err
		}
		return device.LiveEdge(d), nil
	}}, answerSignal{answered})
	if err := u.Serve(ctx); err != nil {
		stop()
		return nil, err
	}
	if err := u.Start(ctx, func(ua.State) {}); err != nil {
		stop()
		return nil, err
	}
	c, err := u.Dial(ctx, "202")
	if err != nil {
		stop()
		return nil, err
	}
	closers = append(closers, func() {
		hctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c.Hangup(hctx)
		cancel()
	})
	select {
	case <-answered:
	case <-time.After(10 * time.Second):
		stop()
		return nil, fmt.Errorf("baresip did not answer: %s", tail(b.Log()))
	}
	time.Sleep(time.Second) // let both audio paths start
	return stop, nil
}

// answerSignal is a ua.Handler that signals the answer.
type answerSignal struct{ answered chan struct{} }

func (a answerSignal) Incoming(*ua.Call)                   {}
func (a answerSignal) Progress(*ua.Call, int)              {}
func (a answerSignal) Answered(*ua.Call)                   { a.answered <- struct{}{} }
func (a answerSignal) Ended(*ua.Call, string, int, string) {}
func (a answerSignal) Digit(*ua.Call, rune)                {}
func (a answerSignal) RemoteHold(*ua.Call, bool)           {}
