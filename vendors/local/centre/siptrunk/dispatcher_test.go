package siptrunk

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"text/template"

	"github.com/agentty/agentty/sip/siplab"
)

//go:embed testdata/dispatcher.cfg.tmpl
var dispatcherCfg string

// TestDispatcherFailover: Kamailio's dispatcher in front of two centres
// spreads calls over both; one centre stops, and new calls are still
// answered, by the other.
func TestDispatcherFailover(t *testing.T) {
	a, b := newLab(t, Config{}), newLab(t, Config{})
	k := siplab.StartKamailioWith(t, func(port int, dir, modPath string) (string, error) {
		list := fmt.Sprintf("1 sip:%s\n1 sip:%s\n", a.trunk.Addr(), b.trunk.Addr())
		if err := os.WriteFile(filepath.Join(dir, "dispatcher.list"), []byte(list), 0o600); err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err := template.Must(template.New("cfg").Parse(dispatcherCfg)).Execute(&buf,
			map[string]any{"Port": port, "Dir": dir, "ModPath": modPath})
		return buf.String(), err
	})
	ka := k.Addr()
	at := mustAddrPort(t, ka)
	// Nobody is checked in anywhere: each centre answers 486, and its
	// trunk counts the call as busy.
	call := func() int {
		t.Helper()
		c := newCaller(t, 600)
		code, err := c.dial(at, "900", "+34600000009", nil)
		if err != nil {
			t.Fatal(err)
		}
		return code
	}
	for i := range 4 {
		if code := call(); code != 486 {
			t.Fatalf("call %d: %d, want 486 from a centre", i, code)
		}
	}
	// A trunk counts a call once its 486 is acknowledged.
	eventually(t, "4 calls counted", func() bool {
		return a.trunk.Stats().Outcomes["busy"]+b.trunk.Stats().Outcomes["busy"] == 4
	})
	na, nb := a.trunk.Stats().Outcomes["busy"], b.trunk.Stats().Outcomes["busy"]
	if na == 0 || nb == 0 {
		t.Errorf("calls not spread: centre A %d, centre B %d", na, nb)
	}
	a.trunk.Close() // centre A's SIP side dies
	for i := range 4 {
		if code := call(); code != 486 {
			t.Fatalf("call %d after A stopped: %d, want 486 from B", i, code)
		}
	}
	eventually(t, "centre B answered the 4 calls after A stopped", func() bool { return b.trunk.Stats().Outcomes["busy"] == nb+4 })
	if got := a.trunk.Stats().Outcomes["busy"]; got != na {
		t.Errorf("the stopped centre A answered %d calls", got-na)
	}
}
