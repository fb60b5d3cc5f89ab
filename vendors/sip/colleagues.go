package sip

import (
	"context"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/ua"
)

// colleagues are the extensions of the "colleagues" option.
func (b *Backend) colleagues() []string {
	var out []string
	for _, c := range strings.Split(b.cfg.Options["colleagues"], ",") {
		if c = strings.TrimSpace(c); c != "" && c != b.ucfg.User {
			out = append(out, c)
		}
	}
	return out
}

// watchColleagues puts the colleagues on the roster (state unknown:
// offline) and subscribes to their dialog state (BLF); each change is an
// agent.state for that colleague, which feeds the roster and the
// transfer picker (agent:EXT transfers to the extension). A colleague
// whose watch fails stays offline; the others are watched. The
// subscriptions are set up in the background (ctx ends them).
func (b *Backend) watchColleagues(ctx context.Context) {
	cs := b.colleagues()
	if len(cs) == 0 {
		return
	}
	roster := make([]session.RosterEntry, len(cs))
	for i, c := range cs {
		roster[i] = session.RosterEntry{ID: c, Name: c, State: session.AgentOffline, Since: b.now()}
	}
	b.emit(session.AgentRoster{Base: session.Base{At: b.now()}, Agents: roster})
	// A server that never answers SUBSCRIBE must not hold up the sign-in.
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := b.ua.Watch(wctx, cs, b.onColleague); err != nil {
			b.cfg.Logger.Warn("sip: watching colleagues", "err", err)
		}
	}()
}

// onColleague maps a colleague's dialog state to an agent state.
func (b *Backend) onColleague(user string, st ua.PeerState) {
	e := session.AgentStateChanged{Base: session.Base{At: b.now()}, Agent: user}
	switch st {
	case ua.PeerIdle:
		e.State = session.AgentReady
	case ua.PeerRinging:
		e.State, e.Reason = session.AgentBusy, "ringing"
	case ua.PeerOnCall:
		e.State, e.Reason = session.AgentBusy, "on a call"
	default:
		e.State = session.AgentOffline
	}
	b.emit(e)
}
