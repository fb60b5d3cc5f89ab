// Command soak runs agents and kiosks against a real `agentty serve`,
// kills the centre (kill -9) every -restart and starts it again on the
// same store, and reports calls placed, answered and abandoned, records
// written against calls the kiosks saw, and the centre's goroutines and
// RSS (from /metrics) before, during and after. The clients carry real
// media (media.go): each is the console's client with its phone, a tone
// for a microphone; the report gives packets and loss per call.
//
//	go build -tags nolibopusfile -o /tmp/agentty . && go run -tags nolibopusfile ./bench/soak -bin /tmp/agentty -duration 10m -restart 2m
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	lc "github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/phone"
)

func main() {
	bin := flag.String("bin", "", "the agentty binary")
	agents := flag.Int("agents", 4, "agents")
	kiosks := flag.Int("kiosks", 6, "kiosks")
	duration := flag.Duration("duration", 3*time.Minute, "length of the run")
	restart := flag.Duration("restart", time.Minute, "kill -9 and restart the centre this often")
	talk := flag.Duration("talk", 4*time.Second, "mean talk time")
	codec := flag.String("codec", "pcmu", "the clients' codec (pcmu, opus)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "soak: -bin is required")
		os.Exit(2)
	}
	dir, _ := os.MkdirTemp("", "soak")
	defer os.RemoveAll(dir)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	c := &centre{bin: *bin, addr: addr, data: filepath.Join(dir, "centre"), home: dir}
	var toks []string
	for i := range *agents {
		t, err := lc.CreateToken(c.data, "agent", fmt.Sprintf("agent%d", i), nil)
		must(err)
		toks = append(toks, t)
	}
	var ktoks []string
	for i := range *kiosks {
		t, err := lc.CreateToken(c.data, "kiosk", fmt.Sprintf("kiosk%d", i), nil)
		must(err)
		ktoks = append(ktoks, t)
	}
	c.start()
	before := c.metrics()
	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	st := &stats{seen: map[string]bool{}, answeredIDs: map[string]bool{}, media: newMediaStats(), codec: *codec, progress: newProgress()}
	var names []string
	var wg sync.WaitGroup
	for i, t := range toks {
		name := fmt.Sprintf("agent%d", i)
		names = append(names, name)
		wg.Add(1)
		go func() { defer wg.Done(); runAgent(ctx, "ws://"+addr, name, t, *talk, st) }()
	}
	for i, t := range ktoks {
		name := fmt.Sprintf("kiosk%d", i)
		names = append(names, name)
		wg.Add(1)
		go func() { defer wg.Done(); runKiosk(ctx, "ws://"+addr, name, t, st) }()
	}
	var during []sample
	tick := time.NewTicker(*restart)
	restarts := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			if dl, _ := ctx.Deadline(); time.Until(dl) < *restart/4 {
				break loop // the run ends now: no restart at its end
			}
			during = append(during, c.metrics())
			c.kill()
			c.start()
			restarts++
			st.progress.restarted()
			fmt.Printf("restart %d at %s\n", restarts, time.Now().Format(time.TimeOnly))
		}
	}
	wg.Wait()
	during = append(during, c.metrics())
	// Let the centre settle: every client has signed out.
	settle := time.NewTimer(5 * time.Second)
	<-settle.C
	after := c.metrics()
	c.stop()
	recs, err := lc.ListCalls(c.data)
	must(err)
	ids := map[string]bool{}
	disp := map[string]int{}
	restartClosed := 0
	cut := map[string]bool{}
	talkOf := map[string]time.Duration{}
	for _, r := range recs {
		talkOf[r.CallID] += r.Talk
		if r.Segment == 1 {
			ids[r.CallID] = true
			disp[r.Disposition]++
		}
		if r.Note != "" {
			cut[r.CallID] = true
			restartClosed++
		}
	}
	st.mu.Lock()
	missing := 0
	for id := range st.seen {
		if !ids[id] {
			missing++
		}
	}
	fmt.Printf("\n%d agents, %d kiosks, %s, kill -9 every %s (%d restarts)\n", *agents, *kiosks, *duration, *restart, restarts)
	fmt.Printf("calls placed (seen by kiosks) %d, answered %d, kiosk left queue %d\n", len(st.seen), st.answered, st.left)
	fmt.Printf("records: %d calls (%d segments), dispositions %v, closed at a restart %d\n", len(ids), len(recs), disp, restartClosed)
	fmt.Printf("calls seen by clients without a record: %d\n", missing)
	st.media.report(st.answeredIDs, cut, talkOf)
	fmt.Printf("wedged clients (a command refused by the client after a restart): %d\n", st.wedged)
	idle := st.progress.report(names)
	fmt.Printf("centre goroutines/RSS before %s, during %v, after %s\n", before, during, after)
	st.mu.Unlock()
	if missing > 0 || idle > 0 {
		os.Exit(1)
	}
}

type stats struct {
	mu                     sync.Mutex
	seen                   map[string]bool
	answeredIDs            map[string]bool
	answered, left, wedged int
	media                  *mediaStats
	codec                  string
	progress               *progress
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

type sample struct{ goroutines, rssMB float64 }

func (s sample) String() string { return fmt.Sprintf("%.0f/%.0fMB", s.goroutines, s.rssMB) }

type centre struct {
	bin, addr, data, home string
	cmd                   *exec.Cmd
	done                  chan struct{}
}

func (c *centre) start() {
	cmd := exec.Command(c.bin, "serve", "--listen", c.addr, "--data", c.data)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(c.home, "state"), "XDG_CONFIG_HOME="+filepath.Join(c.home, "config"))
	must(cmd.Start())
	c.cmd, c.done = cmd, make(chan struct{})
	go func(done chan struct{}) { cmd.Wait(); close(done) }(c.done)
	for i := 0; i < 500; i++ {
		if conn, err := net.Dial("tcp", c.addr); err == nil {
			conn.Close()
			return
		}
		t := time.NewTimer(20 * time.Millisecond)
		<-t.C
	}
	must(fmt.Errorf("centre did not listen"))
}

func (c *centre) kill() { c.cmd.Process.Kill(); <-c.done }
func (c *centre) stop() { c.cmd.Process.Signal(os.Interrupt); <-c.done }

func (c *centre) metrics() sample {
	resp, err := http.Get("http://" + c.addr + "/metrics")
	if err != nil {
		return sample{}
	}
	defer resp.Body.Close()
	var s sample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var v float64
		line := sc.Text()
		if strings.HasPrefix(line, "go_goroutines ") {
			fmt.Sscan(strings.TrimPrefix(line, "go_goroutines "), &v)
			s.goroutines = v
		}
		if strings.HasPrefix(line, "process_resident_memory_bytes ") {
			fmt.Sscan(strings.TrimPrefix(line, "process_resident_memory_bytes "), &v)
			s.rssMB = v / (1 << 20)
		}
	}
	return s
}

// client follows one user's events and sends commands checked against its
// state, as the console does.
type client struct {
	cl *local.MediaClient
	st session.State
	mu sync.Mutex
}

func connect(ctx context.Context, url, tok, side string, st *stats) *client {
	cc := local.ClientConfig{Server: url, Token: tok, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, GiveUp: time.Hour}
	hz := 700.0
	if side == "agent" {
		hz = 1300
	}
	cl, err := local.NewMediaClient(cc, phone.Config{Codec: st.codec, Loopback: true,
		OpenDevice: func(string) (device.Device, error) { return newToneDevice(hz), nil }})
	must(err)
	must(cl.Connect(ctx))
	c := &client{cl: cl}
	go func() {
		for e := range cl.Events() {
			st.media.event(side, e)
			c.mu.Lock()
			c.st = session.Apply(c.st, e)
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *client) state() session.State { c.mu.Lock(); defer c.mu.Unlock(); return c.st }

// do sends line when the state allows it; a refusal by the client's own
// check while connected and synced would be a wedge.
func (c *client) do(ctx context.Context, line string) error {
	cmd, _ := session.ParseCommand(line)
	if err := session.Check(c.state(), cmd); err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return c.cl.Send(sctx, cmd)
}

func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func runAgent(ctx context.Context, url, name, tok string, talk time.Duration, st *stats) {
	c := connect(ctx, url, tok, "agent", st)
	defer c.cl.Close()
	var talkingSince time.Time
	var talkFor time.Duration
	for pause(ctx, 100*time.Millisecond) {
		s := c.state()
		st.media.sampleCalls("agent", c, s)
		if s.Conn != session.ConnEstablished {
			continue
		}
		switch {
		case !s.CheckedIn:
			_ = c.do(ctx, "checkin")
		case s.Agent.State == session.AgentWrapUp:
			_ = c.do(ctx, "done")
		case s.Agent.State == session.AgentNotReady:
			_ = c.do(ctx, "ready")
		}
		if _, ok := s.Ringing(); ok {
			if c.do(ctx, "answer") == nil {
				st.progress.did(name)
				talkingSince, talkFor = time.Now(), time.Duration(rand.ExpFloat64()*float64(talk))
			}
		}
		if _, ok := s.Talking(); ok && !talkingSince.IsZero() && time.Since(talkingSince) > talkFor {
			_ = c.do(ctx, "hangup")
			talkingSince = time.Time{}
		}
	}
}

func runKiosk(ctx context.Context, url, name, tok string, st *stats) {
	c := connect(ctx, url, tok, "kiosk", st)
	defer c.cl.Close()
	counted := map[string]bool{}
	for pause(ctx, 150*time.Millisecond) {
		s := c.state()
		st.media.sampleCalls("kiosk", c, s)
		for _, call := range append(append([]session.Call(nil), s.Calls...), s.Recent...) {
			st.mu.Lock()
			st.seen[call.ID] = true
			if !call.Answered.IsZero() && !counted[call.ID] {
				counted[call.ID] = true
				st.answered++
				st.answeredIDs[call.ID] = true
			}
			st.mu.Unlock()
		}
		if s.Conn != session.ConnEstablished {
			continue
		}
		if !s.OnCall() && !s.Queue.Waiting {
			if err := c.do(ctx, "call"); err != nil && s.Conn == session.ConnEstablished {
				st.mu.Lock()
				st.wedged++
				st.mu.Unlock()
			} else if err == nil {
				st.progress.did(name)
			}
			continue
		}
		if s.Queue.Waiting && time.Since(s.Queue.Since) > 15*time.Second {
			if c.do(ctx, "leave") == nil {
				st.mu.Lock()
				st.left++
				st.mu.Unlock()
			}
		}
	}
}
