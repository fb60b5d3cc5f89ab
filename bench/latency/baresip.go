package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/agentty/agentty/audio/device"
)

// baresip runs baresip A (microphone agentty_a.monitor, through ALSA's
// PulseAudio plugin) calling baresip B (speaker agentty_b), which answers
// by itself; SIP on 127.0.0.1, PCMU, no console. baresip 1.0 takes its
// media address from the host interface (net_interface lo is refused), so
// its RTP goes to the host's own address, which Linux routes over lo. A
// plays what it hears (B's silence) into agentty_a, which adds nothing.
func baresip(ctx context.Context) (func(), error) {
	if _, err := exec.LookPath("baresip"); err != nil {
		return nil, errors.New("baresip not installed")
	}
	dir, err := os.MkdirTemp("", "agentty-baresip")
	if err != nil {
		return nil, err
	}
	silence := filepath.Join(dir, "silence.wav")
	if err := device.WriteWAV(silence, make([]int16, 48000*120), 48000); err != nil {
		return nil, err
	}
	conf := func(who string, port int, source, account string) (string, error) {
		d := filepath.Join(dir, who)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", err
		}
		cfg := strings.Join([]string{
			"poll_method epoll", fmt.Sprintf("sip_listen 127.0.0.1:%d", port),
			"audio_player alsa,pulse", "audio_source " + source, "audio_alert none",
			"audio_srate 48000", "ausrc_srate 48000", "auplay_srate 48000", "audio_channels 1",
			"ausrc_channels 1", "auplay_channels 1", "audio_buffer 20-160", "jitter_buffer_delay 1-5",
			"rtp_timeout 0", "module_path /usr/lib/baresip/modules", "module g711.so", "module alsa.so",
			"module aufile.so", "module_app account.so", "module_app menu.so", ""}, "\n")
		if err := os.WriteFile(filepath.Join(d, "config"), []byte(cfg), 0o644); err != nil {
			return "", err
		}
		return d, os.WriteFile(filepath.Join(d, "accounts"), []byte(account+"\n"), 0o644)
	}
	bdir, err := conf("b", 5280, "aufile,"+silence, "<sip:b@127.0.0.1:5280>;regint=0;answermode=auto")
	if err != nil {
		return nil, err
	}
	adir, err := conf("a", 5270, "alsa,pulse", "<sip:a@127.0.0.1:5270>;regint=0")
	if err != nil {
		return nil, err
	}
	b := exec.Command("baresip", "-f", bdir)
	b.Env = append(os.Environ(), "PULSE_SINK=agentty_b")
	stopB, err := startCmd(b)
	if err != nil {
		return nil, err
	}
	time.Sleep(500 * time.Millisecond)
	out := &syncBuf{}
	a := exec.Command("baresip", "-f", adir, "-e", "/dial sip:b@127.0.0.1:5280")
	a.Env = append(os.Environ(), "PULSE_SOURCE=agentty_a.monitor", "PULSE_SINK=agentty_a")
	a.Stdout, a.Stderr = out, out
	stopA, err := startCmd(a)
	if err != nil {
		stopB()
		return nil, err
	}
	stop := func() { stopA(); stopB(); os.RemoveAll(dir) }
	for i := 0; i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		if strings.Contains(out.String(), "Call established") {
			time.Sleep(time.Second) // let both audio paths start
			return stop, nil
		}
	}
	stop()
	return nil, fmt.Errorf("baresip A never established the call: %q", tail(out.String()))
}

// syncBuf is a strings.Builder safe for the command's writer and a reader.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}
