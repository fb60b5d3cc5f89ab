package sim

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/vendortest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDemoRunsCalls(t *testing.T) {
	dir := t.TempDir()
	d, err := Start(context.Background(), Config{As: "supervisor", DataDir: dir, PerHour: 36000,
		Handle: 300 * time.Millisecond, WrapUp: 100 * time.Millisecond, Patience: time.Minute, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := local.NewClient(local.ClientConfig{Server: d.URL, Token: d.Token})
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := vendortest.Follow(t, cl, 20*time.Second)
	s.WaitFor("a colleague on a call", func(st session.State) bool {
		for _, a := range st.Roster {
			if a.State == session.AgentBusy {
				return true
			}
		}
		return false
	})
	if s.State.Role != session.RoleSupervisor || len(s.State.Roster) < 4 {
		t.Errorf("seat %s with roster of %d", s.State.Role, len(s.State.Roster))
	}
	s.WaitFor("a finished call", func(st session.State) bool {
		for _, a := range st.Roster {
			if a.State == session.AgentWrapUp {
				return true
			}
		}
		return false
	})
	cl.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := centre.ListCalls(dir)
	if err != nil || len(recs) == 0 {
		t.Fatalf("no call records after the demo: %v", err)
	}
}

func TestBadSeat(t *testing.T) {
	if _, err := Start(context.Background(), Config{As: "janitor"}); err == nil {
		t.Fatal("unknown seat accepted")
	}
}
