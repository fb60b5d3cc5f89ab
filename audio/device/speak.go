package device

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/agentty/agentty/audio"
)

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
			if pcm, err := LoadWAV(wav); err == nil {
				return pcm
			}
		}
	}
	pcm := make([]int16, 2*audio.SampleRate)
	(&audio.Tone{Freqs: []float64{440}, Amplitude: 0.3}).Fill(pcm)
	return pcm
}
