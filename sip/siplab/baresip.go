package siplab

import (
	"sort"

	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/agentty/agentty/audio/device"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Baresip is a running baresip driven over ctrl_tcp (netstring JSON).
// Its microphone is the ausine module (a tone of ToneHz); what it hears is
// recorded by the sndfile module under Dir.
type Baresip struct {
	Dir     string
	User    string
	SIPPort int
	ToneHz  int
	cmd     *exec.Cmd
	conn    net.Conn
	wmu     sync.Mutex
	events  chan map[string]any
	replies chan map[string]any
	done    chan struct{}
}

// BaresipConfig is one lab user agent.
type BaresipConfig struct {
	User, Password string
	// Registrar is Kamailio's host:port.
	Registrar string
	ToneHz    int    // default 1000
	Extra     string // extra account parameters (";mediaenc=srtp")
	// AnswerMode is baresip's answermode (default manual; auto answers).
	AnswerMode string
	// Audio replaces the audio lines of the config (default: ausine at
	// ToneHz in, aufile out, the sndfile module recording what it hears)
	// and may load modules ("module alsa.so");
	// Env is added to its environment
	// (PULSE_SINK=...).
	Audio string
	Env   []string
}

// StartBaresip starts baresip registered at cfg.Registrar and waits until
// its control socket answers.
func StartBaresip(t testing.TB, cfg BaresipConfig) *Baresip {
	t.Helper()
	if _, err := exec.LookPath("baresip"); err != nil {
		unavailable(t, "baresip not installed: %v", err)
	}
	b, err := LaunchBaresip(t.TempDir(), cfg)
	if err != nil {
		unavailable(t, "%v", err)
	}
	t.Cleanup(b.Stop)
	return b
}

// LaunchBaresip is StartBaresip for programs (bench/): baresip runs in
// dir until Stop. baresip also binds its SIP port + 1 (TLS), which
// freePort does not check: when another program holds it, baresip exits
// at once ("Address already in use") and it is launched again on other
// ports (a few times).
func LaunchBaresip(dir string, cfg BaresipConfig) (*Baresip, error) {
	for try := 0; ; try++ {
		b, err := launchBaresip(dir, cfg)
		if err == nil || !errors.Is(err, errPortTaken) || try == 4 {
			return b, err
		}
	}
}

// errPortTaken: baresip could not bind one of its ports.
var errPortTaken = errors.New("a port baresip needs is taken")

func launchBaresip(dir string, cfg BaresipConfig) (*Baresip, error) {
	if cfg.ToneHz == 0 {
		cfg.ToneHz = 1000
	}
	if cfg.AnswerMode == "" {
		cfg.AnswerMode = "manual"
	}
	sipPort, err := freePort()
	if err != nil {
		return nil, err
	}
	ctrl, err := freePort()
	if err != nil {
		return nil, err
	}
	b := &Baresip{Dir: dir, User: cfg.User, SIPPort: sipPort, ToneHz: cfg.ToneHz,
		events: make(chan map[string]any, 64), replies: make(chan map[string]any, 8), done: make(chan struct{})}
	audio := cfg.Audio
	if audio == "" {
		audio = fmt.Sprintf("audio_source ausine,%d\naudio_player aufile,%s\nausrc_srate 48000\nausrc_channels 2\nauplay_srate 48000\nmodule sndfile.so",
			cfg.ToneHz, filepath.Join(b.Dir, "play.wav"))
	}
	conf := fmt.Sprintf(`module_path /usr/lib/baresip/modules
sip_listen 127.0.0.1:%d
ctrl_tcp_listen 127.0.0.1:%d
%s
snd_path %s
rtp_ports 20000-40000
module g711.so
module ausine.so
module aufile.so
module srtp.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
`, b.SIPPort, ctrl, audio, b.Dir)
	acc := fmt.Sprintf("<sip:%s@%s;transport=udp>;auth_pass=%s;answermode=%s;regint=60%s\n", cfg.User, cfg.Registrar, cfg.Password, cfg.AnswerMode, cfg.Extra)
	if err := os.WriteFile(filepath.Join(b.Dir, "config"), []byte(conf), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(b.Dir, "accounts"), []byte(acc), 0o600); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(b.Dir, "baresip.log"))
	if err != nil {
		return nil, err
	}
	b.cmd = exec.Command("stdbuf", "-oL", "baresip", "-f", b.Dir)
	b.cmd.Env = append(os.Environ(), cfg.Env...)
	b.cmd.Stdout, b.cmd.Stderr = log, log
	b.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := b.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("baresip: %w", err)
	}
	log.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(ctrl)))
		if err == nil {
			b.conn = c
			break
		}
		if log := b.Log(); strings.Contains(log, "Address already in use") {
			b.Stop()
			return nil, fmt.Errorf("baresip: %w\n%s", errPortTaken, log)
		}
		if time.Now().After(deadline) {
			b.Stop()
			return nil, fmt.Errorf("baresip control socket: %v\n%s", err, b.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
	go b.read()
	return b, nil
}

// Stop kills baresip.
func (b *Baresip) Stop() {
	if b.conn != nil {
		b.conn.Close()
	}
	if b.cmd.Process != nil {
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		_ = b.cmd.Wait()
	}
	if b.conn != nil {
		<-b.done
	}
}

// Log is baresip's output so far.
func (b *Baresip) Log() string {
	out, _ := os.ReadFile(filepath.Join(b.Dir, "baresip.log"))
	return string(out)
}

func (b *Baresip) read() {
	defer close(b.done)
	r := bufio.NewReader(b.conn)
	for {
		n, err := r.ReadString(':')
		if err != nil {
			return
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, ":"))
		if err != nil || size < 0 || size > 1<<20 {
			return
		}
		buf := make([]byte, size+1)
		if _, err := ioReadFull(r, buf); err != nil {
			return
		}
		var m map[string]any
		if json.Unmarshal(buf[:size], &m) != nil {
			continue
		}
		if m["response"] == true {
			select {
			case b.replies <- m:
			default:
			}
			continue
		}
		select {
		case b.events <- m:
		default:
		}
	}
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Command sends one ctrl_tcp command ("dial", "accept", "hangup",
// "hold", "resume", "sndcode" ...) and returns its reply's data.
func (b *Baresip) Command(command, params string) (string, error) {
	msg, _ := json.Marshal(map[string]string{"command": command, "params": params, "token": command})
	b.wmu.Lock()
	_, err := fmt.Fprintf(b.conn, "%d:%s,", len(msg), msg)
	b.wmu.Unlock()
	if err != nil {
		return "", err
	}
	select {
	case m := <-b.replies:
		data, _ := m["data"].(string)
		if ok, _ := m["ok"].(bool); !ok {
			return data, fmt.Errorf("baresip %s: %s", command, data)
		}
		return data, nil
	case <-time.After(5 * time.Second):
		return "", fmt.Errorf("baresip %s: no reply", command)
	}
}

// WaitEvent waits for an event of type typ (REGISTER_OK, CALL_INCOMING,
// CALL_ESTABLISHED, CALL_CLOSED, ...) and returns it.
func (b *Baresip) WaitEvent(t testing.TB, typ string, within time.Duration) map[string]any {
	t.Helper()
	m, err := b.NextEvent(typ, within)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.Log())
	}
	return m
}

// NextEvent is WaitEvent for programs: events of other types are dropped.
func (b *Baresip) NextEvent(typ string, within time.Duration) (map[string]any, error) {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		select {
		case m := <-b.events:
			if m["type"] == typ {
				return m, nil
			}
		case <-deadline.C:
			return nil, fmt.Errorf("baresip %s: no %s within %v", b.User, typ, within)
		}
	}
}

// Recordings lists the WAV files sndfile wrote (decoded received audio
// ends in "-dec.wav").
func (b *Baresip) Recordings() []string {
	m, _ := filepath.Glob(filepath.Join(b.Dir, "*-dec.wav"))
	return m
}

// WaitRegistered waits until baresip's registration succeeded (its log
// says so; the REGISTER_OK event may come before the control socket).
func (b *Baresip) WaitRegistered(t testing.TB, within time.Duration) {
	t.Helper()
	if err := b.Registered(within); err != nil {
		t.Fatal(err)
	}
}

// Registered is WaitRegistered for programs.
func (b *Baresip) Registered(within time.Duration) error {
	deadline := time.Now().Add(within)
	for !strings.Contains(b.Log(), " 200 OK ") {
		if time.Now().After(deadline) {
			return fmt.Errorf("baresip %s: not registered within %v\n%s", b.User, within, b.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// LastHeard reads the newest recording of what baresip received
// (sndfile's decoder dump); call it after the call closed, when sndfile
// has finished the file.
func (b *Baresip) LastHeard(t testing.TB) (pcm []int16, rate int) {
	t.Helper()
	recs := b.Recordings()
	if len(recs) == 0 {
		t.Fatalf("baresip %s: no recording in %s", b.User, b.Dir)
	}
	sort.Strings(recs)
	pcm, rate, err := device.ReadWAV(recs[len(recs)-1])
	if err != nil {
		t.Fatalf("baresip %s: %v", b.User, err)
	}
	return pcm, rate
}

// HeardBytes is the size of the newest recording of what baresip
// receives, growing while a call runs (16 000 bytes a second at 8 kHz).
func (b *Baresip) HeardBytes() int64 {
	recs := b.Recordings()
	if len(recs) == 0 {
		return 0
	}
	sort.Strings(recs)
	fi, err := os.Stat(recs[len(recs)-1])
	if err != nil {
		return 0
	}
	return fi.Size()
}
