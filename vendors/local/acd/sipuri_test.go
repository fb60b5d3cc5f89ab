package acd

import (
	"strings"
	"testing"

	"github.com/agentty/agentty/session"
)

// Without a SIP trunk the centre refuses a SIP address with one sentence
// (its connection.established says it dials numbers only); with one, the
// address goes out through the trunk as it is.
func TestSIPAddressesNeedATrunk(t *testing.T) {
	r := newRig(t, GroupConfig{ID: "sales"})
	r.user("a", session.RoleAgent, "sales")
	r.user("k", session.RoleKiosk, "sales")
	r.must("a", "checkin")
	if r.states["a"].DialsURIs {
		t.Errorf("a centre with no trunk says it dials URIs")
	}
	err := r.do("a", "dial sip:2001@pbx.example")
	if err == nil || !strings.Contains(err.Error(), "sip:2001@pbx.example is a SIP address and this centre has no SIP trunk") {
		t.Errorf("dial a SIP address with no trunk: %v", err)
	}
	r.must("a", "ready")
	r.must("k", "call")
	r.must("a", "answer")
	for _, verb := range []string{"transfer", "consult"} {
		if err := r.do("a", verb+" sips:carol@pbx.example"); err == nil || !strings.Contains(err.Error(), verb+": sips:carol@pbx.example is a SIP address") {
			t.Errorf("%s to a SIP address with no trunk: %v", verb, err)
		}
	}

	tr := newRig(t)
	tr.e = New(Config{TrunkOut: true})
	tr.user("a", session.RoleAgent)
	if !tr.states["a"].DialsURIs {
		t.Errorf("a centre with a trunk does not say it dials URIs")
	}
	tr.must("a", "checkin")
	c, _ := session.ParseCommand("dial sip:2001@pbx.example")
	out, err := tr.e.Do(tr.now, "a", c)
	if err != nil {
		t.Fatal(err)
	}
	var ops []TrunkOp
	for _, o := range out {
		if o.Trunk != nil {
			ops = append(ops, *o.Trunk)
		}
	}
	if len(ops) != 1 || ops[0].Kind != TrunkDial || ops[0].Number != "sip:2001@pbx.example" {
		t.Errorf("trunk ops %+v, want one dial of the address as it is", ops)
	}
}
