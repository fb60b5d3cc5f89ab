package centre

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local"
)

func TestAdminOneLiners(t *testing.T) {
	dir := t.TempDir()
	if err := SetGroup(dir, GroupSpec{ID: "sales", Strategy: "ring-all", WrapUp: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := SetGroup(dir, GroupSpec{ID: "x", Strategy: "random"}); err == nil {
		t.Errorf("unknown strategy accepted")
	}
	agentTok, err := CreateToken(dir, "agent", "ana", []string{"sales"})
	if err != nil {
		t.Fatal(err)
	}
	kioskTok, err := CreateToken(dir, "kiosk", "lobby", []string{"sales"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CreateToken(dir, "boss", "x", nil); err == nil {
		t.Errorf("bad role accepted")
	}
	srv, err := NewServer(ServerConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	c := &centre{t: t, srv: srv, url: url}
	if g, ok := srv.eng.Group("sales"); !ok || g.Strategy != "ring-all" || g.WrapUp != 5*time.Second {
		t.Errorf("stored group not loaded: %+v", g)
	}
	follow := func(tok string) *followed {
		cl := c.client(tok)
		if err := cl.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		return &followed{cl}
	}
	a, k := follow(agentTok), follow(kioskTok)
	ctx := context.Background()
	for _, step := range []struct {
		cl  *followed
		cmd session.Command
	}{
		{a, session.Command{Verb: session.VerbCheckIn}}, {a, session.Command{Verb: session.VerbReady}},
		{k, session.Command{Verb: session.VerbCall}},
	} {
		if err := step.cl.Send(ctx, step.cmd); err != nil {
			t.Fatalf("%s: %v", step.cmd, err)
		}
	}
	if err := a.Send(ctx, session.Command{Verb: session.VerbAnswer}); err != nil {
		t.Fatal(err)
	}
	if err := k.Send(ctx, session.Command{Verb: session.VerbLeave}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	k.Close()
	srv.Close()
	recs, err := ListCalls(dir)
	if err != nil || len(recs) != 1 || recs[0].Agent != "ana" || recs[0].EndedBy != "customer" {
		t.Fatalf("calls %+v %v", recs, err)
	}
	var table, js bytes.Buffer
	WriteCalls(&table, recs, false)
	WriteCalls(&js, recs, true)
	if !strings.Contains(table.String(), "DISPOSITION") || !strings.Contains(table.String(), "ana") || !strings.Contains(js.String(), `"disposition":"answered"`) {
		t.Errorf("table:\n%s\njson:\n%s", table.String(), js.String())
	}
}

type followed struct{ *local.Client }
