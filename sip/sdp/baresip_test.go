package sdp

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/internal/testenv"
)

// TestBaresipRTP calls our RTP leg from a real baresip (ausine tone at
// 1400 Hz, its received audio dumped by its sndfile module): our SDP
// answer is accepted, we hear baresip's tone, baresip hears our 600 Hz
// tone, RTCP gives a round-trip time, plain RTP and SDES SRTP. The SIP side is a minimal answering stub
// written here for the test only; the product's SIP is vendors/sip.
func TestBaresipRTP(t *testing.T) {
	bin, err := exec.LookPath("baresip")
	if err != nil {
		testenv.Unavailable(t, "baresip not installed: %v", err)
	}
	for _, tc := range []struct {
		name     string
		mediaenc string
		mode     SRTPMode
	}{
		{"plain", "", SRTPOff},
		{"sdes", ";mediaenc=srtp-mand", SRTPMandatory},
	} {
		t.Run(tc.name, func(t *testing.T) { baresipCall(t, bin, tc.mediaenc, tc.mode) })
	}
}

func baresipCall(t *testing.T, bin, mediaenc string, mode SRTPMode) {
	dir := t.TempDir()
	sipConn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sipConn.Close()
	sipPort := sipConn.LocalAddr().(*net.UDPAddr).Port
	bport := freeUDPPort(t)
	cfg := fmt.Sprintf(`poll_method epoll
sip_listen 127.0.0.1:%d
audio_player aubridge,nil
audio_source ausine,1400
audio_alert aubridge,nil
ausrc_srate 48000
ausrc_channels 2
auplay_srate 48000
auplay_channels 2
rtp_timeout 0
snd_path %s
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module sndfile.so
module srtp.so
module_app account.so
module_app menu.so
`, bport, dir)
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	acc := fmt.Sprintf("<sip:bob@127.0.0.1:%d>;regint=0;audio_codecs=PCMU%s\n", bport, mediaenc)
	if err := os.WriteFile(filepath.Join(dir, "accounts"), []byte(acc), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-f", dir, "-e", fmt.Sprintf("/dial sip:agentty@127.0.0.1:%d", sipPort))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		testenv.Unavailable(t, "baresip: %v", err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			cmd.Wait() //nolint:errcheck // killed on purpose
		}
	}
	defer func() {
		stop()
		if t.Failed() {
			t.Logf("baresip output:\n%s", out.String())
		}
	}()

	// The INVITE.
	sipConn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 8192)
	var inv []byte
	var from *net.UDPAddr
	for {
		n, a, err := sipConn.ReadFromUDP(buf)
		if err != nil {
			testenv.Unavailable(t, "no INVITE from baresip: %v\n%s", err, out.String())
		}
		if bytes.HasPrefix(buf[:n], []byte("INVITE ")) {
			inv, from = append([]byte(nil), buf[:n]...), a
			break
		}
	}
	headers, body, _ := bytes.Cut(inv, []byte("\r\n\r\n"))
	offer, err := Parse(body)
	if err != nil {
		t.Fatalf("baresip's offer: %v\n%s", err, body)
	}
	ports, err := rtpleg.Listen(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	ans, params, err := Answer(offer, Local{Addr: ports.RTP().Addr(), RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: []string{"pcmu"}, SRTP: mode, User: "agentty", SessionID: 1, Version: 1})
	if err != nil {
		ports.Close()
		t.Fatalf("answer: %v\n%s", err, body)
	}
	if mode == SRTPMandatory && params.SRTP == nil {
		t.Fatal("no SRTP negotiated")
	}
	tone := make([]int16, 20*audio.SampleRate)
	(&audio.Tone{Freqs: []float64{600}, Amplitude: 0.3}).Fill(tone)
	dev, err := device.NewWAV(device.WAVConfig{In: tone, PadSilence: true, Paced: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	leg, err := rtpleg.Start(ports, params, rtpleg.Config{Device: dev, ReportEvery: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer leg.Close()
	sdpAns, err := ans.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sipConn.WriteToUDP(ok200(headers, sdpAns, sipPort), from); err != nil {
		t.Fatal(err)
	}
	// We hear baresip's 1400 Hz.
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		rec := dev.Recorded()
		if len(rec) > audio.SampleRate && dtmf.Power(rec[len(rec)-audio.SampleRate/2:], 1400, audio.SampleRate) > 0.001 {
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("we did not hear baresip's tone; leg %+v", leg.Stats())
		}
	}
	// A second more, so baresip has heard us for a while, then let it
	// write its dump.
	mark := len(dev.Recorded())
	for len(dev.Recorded()) < mark+audio.SampleRate {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("playout stalled")
		}
	}
	// baresip's reports come every few seconds: its receiver report
	// echoing our sender report gives the round-trip time.
	rttBy := time.After(15 * time.Second)
	for leg.Quality().RTT == 0 {
		select {
		case <-tick.C:
		case <-rttBy:
			t.Fatalf("no RTT from baresip's RTCP; leg %+v", leg.Stats())
		}
	}
	q := leg.Quality()
	t.Logf("our leg: %+v stats %+v", q, leg.Stats())
	if q.Loss > 0.01 {
		t.Errorf("loss %.3f from baresip on loopback", q.Loss)
	}
	stop()
	dumps, _ := filepath.Glob(filepath.Join(dir, "dump-*dec*.wav"))
	if len(dumps) == 0 {
		all, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
		t.Fatalf("no decoder dump from baresip's sndfile (files %v)", all)
	}
	pcm, rate, err := device.ReadWAV(dumps[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(pcm) < rate {
		t.Fatalf("baresip recorded %d samples at %d Hz", len(pcm), rate)
	}
	tail := pcm[len(pcm)-rate/2:]
	if p := dtmf.Power(tail, 600, rate); p < 0.001 {
		t.Errorf("baresip did not hear our 600 Hz (power %.5f)", p)
	}
}

// ok200 answers an INVITE whose header block is headers with our SDP.
func ok200(headers, body []byte, port int) []byte {
	var b strings.Builder
	b.WriteString("SIP/2.0 200 OK\r\n")
	sc := bufio.NewScanner(bytes.NewReader(headers))
	for sc.Scan() {
		line := sc.Text()
		name, _, _ := strings.Cut(line, ":")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "via", "v", "from", "f", "call-id", "i", "cseq":
			b.WriteString(line + "\r\n")
		case "to", "t":
			b.WriteString(line + ";tag=agentty1\r\n")
		}
	}
	fmt.Fprintf(&b, "Contact: <sip:agentty@127.0.0.1:%d>\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n", port, len(body))
	b.Write(body)
	return []byte(b.String())
}

func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}
