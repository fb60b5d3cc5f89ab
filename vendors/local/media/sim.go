package media

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/proto"
)

// simParty is a simulated caller's (or a dialled number's) phone, run by
// the centre itself.
type simParty struct {
	ph   *phone.Phone
	legs int
}

// close closes the phone on a goroutine the server owns (a phone's Close
// waits for its loop, which may be posting to ours).
func (sp *simParty) close(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		sp.ph.Close()
	}()
}

// simFor starts party's phone if it has none. Loop only.
func (s *Server) simFor(party string) error {
	if s.sims[party] != nil {
		return nil
	}
	open := func(callID string) (device.Device, error) {
		if s.cfg.SimDevice != nil {
			return s.cfg.SimDevice(party, callID)
		}
		return NewEcho(s.prompt.get(s.cfg.Prompt), time.Second), nil
	}
	ph, err := phone.New(phone.Config{
		Send:       func(sig proto.Signal) { s.Signal(party, sig) },
		OpenDevice: open,
		Loopback:   s.cfg.Loopback,
		Logger:     s.cfg.Logger,
	})
	if err != nil {
		return err
	}
	s.sims[party] = &simParty{ph: ph}
	return nil
}

// promptCache renders the simulated caller's prompt once.
type promptCache struct {
	once sync.Once
	pcm  []int16
}

// get returns text spoken by espeak-ng at 48 kHz, or two seconds of a
// 440 Hz tone when espeak-ng is not installed.
func (p *promptCache) get(text string) []int16 {
	p.once.Do(func() { p.pcm = Speak(text) })
	return p.pcm
}

// Speak renders text with espeak-ng at 48 kHz; without espeak-ng it returns
// two seconds of a 440 Hz tone.
func Speak(text string) []int16 {
	dir, err := os.MkdirTemp("", "agentty-prompt")
	if err == nil {
		defer os.RemoveAll(dir)
		wav := filepath.Join(dir, "prompt.wav")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if exec.CommandContext(ctx, "espeak-ng", "-w", wav, text).Run() == nil {
			if d, err := device.NewWAV(device.WAVConfig{InPath: wav}); err == nil {
				var pcm []int16
				f := make([]int16, audio.FrameSamples)
				for d.ReadFrame(context.Background(), f) == nil {
					pcm = append(pcm, f...)
				}
				return pcm
			}
		}
	}
	pcm := make([]int16, 2*audio.SampleRate)
	(&audio.Tone{Freqs: []float64{440}, Amplitude: 0.3}).Fill(pcm)
	return pcm
}
