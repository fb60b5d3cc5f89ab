package centre

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/vendortest"
)

// serveChild runs a centre on 127.0.0.1, prints its URL and waits to be
// killed.
func serveChild(dir string) {
	srv, err := NewServer(ServerConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	url, err := srv.Start()
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	fmt.Println(url)
	select {}
}

func TestKill9KeepsEndedCalls(t *testing.T) {
	dir := t.TempDir()
	agentTok, err := CreateToken(dir, "agent", "ana", nil)
	if err != nil {
		t.Fatal(err)
	}
	kioskTok, err := CreateToken(dir, "kiosk", "lobby", nil)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOCAL_SERVE_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ws://") {
		t.Fatalf("child said %q, %v", line, err)
	}
	c := &centre{t: t, url: strings.TrimSpace(line)}
	follow := func(tok string) *vendortest.Session {
		cl := c.client(tok)
		if err := cl.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		s := vendortest.Follow(t, cl, 10*time.Second)
		s.WaitFor("signed in", func(st session.State) bool { return st.Authed })
		return s
	}
	a, k := follow(agentTok), follow(kioskTok)
	a.MustDo("checkin")
	a.MustDo("ready")
	k.MustDo("call")
	a.WaitFor("ringing", ringing)
	a.MustDo("answer")
	a.MustDo("hangup") // the record is committed before the hangup's events go out
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
	recs, err := ListCalls(dir)
	if err != nil || len(recs) != 1 || recs[0].Agent != "ana" || recs[0].Disposition != "answered" {
		t.Fatalf("after kill -9: %+v, %v", recs, err)
	}
}
