package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentty/agentty/session"
)

// dir is a tiny contact book.
type dir []Contact

func (d dir) Search(q string, limit int) ([]Contact, error) {
	var out []Contact
	for _, c := range d {
		if strings.Contains(strings.ToLower(c.Name+" "+c.Org+" "+strings.Join(c.Phones, " ")), strings.ToLower(q)) {
			out = append(out, c)
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (d dir) Lookup(n string) (Contact, bool) {
	for _, c := range d {
		for _, p := range c.Phones {
			if p == n {
				return c, true
			}
		}
	}
	return Contact{}, false
}

var book = dir{
	{ID: "1", Name: "Ana García", Org: "Acme", Phones: []string{"+34917370192"}},
	{ID: "2", Name: "Bob Stone", Org: "Initech", Phones: []string{"+15550100"}},
	{ID: "3", Name: "Ana Lima", Phones: []string{"+5511999990000"}},
}

func withBook(o *Options) { o.Directory = book }

// An agent checks in, goes ready, answers, holds, resumes, transfers to a
// group from the picker, wraps up, takes a second call, hangs up, and goes
// ready from wrap-up: every step with the keys the footer shows.
func TestAgentFlow(t *testing.T) {
	h := newHarness(t, session.RoleAgent, withBook)
	h.want("NOT CHECKED IN", "Not checked in: press i to check in, g to go ready.", "i check in")
	h.golden("agent_start")

	h.press("i")
	h.want("NOT READY checked in", "g go ready")
	h.press("g")
	h.want("READY", "Ready: calls ring here; a answers.")

	if _, err := h.v.Ring("+34917370192"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.want("RINGING", "Ana García (Acme)", "a answer  r reject")
	h.wantNot("e end call")
	h.golden("agent_ringing")

	h.press("a")
	h.tick(83 * time.Second)
	h.want("TALKING 1:23", "e end call  h hold  t transfer  k keypad  m mute")
	h.golden("agent_talking")

	h.press("h")
	h.want("ON HOLD", "h resume")
	h.press("h")
	h.want("TALKING")

	h.press("m")
	h.want("MUTED", "m unmute")
	h.press("m")
	h.wantNot("MUTED")

	h.press("k")
	h.want("Keypad (DTMF)")
	h.press("1", "#")
	h.want("sent: 1#")
	h.press("esc")
	h.wantNot("Keypad (DTMF)")

	h.press("t")
	h.want("Transfer to…", "group  Sales", "group  Support")
	h.golden("agent_transfer_picker")
	h.typeText("supp")
	h.wantNot("group  Sales")
	h.press("enter")
	h.want("WRAP-UP", "transferred to support", "d done (end wrap-up)")
	if s := h.m.State(); s.OnCall() || s.Recent[len(s.Recent)-1].Outcome != "transferred to support" {
		t.Fatalf("after transfer: calls %v recent %+v", s.Calls, s.Recent)
	}

	h.press("d")
	h.want("READY")
	if _, err := h.v.Ring("+15550100"); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.want("Bob Stone (Initech)")
	h.press("a", "e")
	h.want("WRAP-UP", "Wrap-up: press d when your notes are done.")
	h.golden("agent_wrapup")
	h.press("g")
	h.want("READY")
	if got := h.m.State().Agent.State; got != session.AgentReady {
		t.Fatalf("agent state = %s, want ready", got)
	}
}

// A refused command is one sentence in the status bar.
func TestAgentRefusals(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.press("h")
	h.want("✗ Can't hold: there is no call to hold.")
	h.press(":")
	h.typeText("frobnicate")
	h.press("enter")
	h.want(`✗ Unknown command "frobnicate"`)
	h.golden("agent_refused")
}

// The palette takes the headless words; n opens the reason picker; the
// contacts pane searches as you type and dials on enter.
func TestAgentPaletteReasonsAndDial(t *testing.T) {
	h := newHarness(t, session.RoleAgent, withBook)
	h.press(":")
	h.want("checkin [GROUP,...]")
	h.typeText("checkin sales")
	h.press("enter")
	h.want("groups sales")
	h.press("n")
	h.want("Not ready because…", "lunch")
	h.typeText("lun")
	h.press("enter")
	h.want("NOT READY lunch")
	h.press("z")
	h.typeText("coffee")
	h.press("enter")
	h.want("REST coffee", "(15:00 left)")

	h.press("g", "/")
	h.typeText("ana")
	h.want("Ana García (Acme)", "Ana Lima", "enter dial")
	h.golden("agent_contacts_search")
	h.press("down", "enter")
	h.want("→ out", "+5511999990000", "TALKING")
	h.press("e", "d")

	h.press(":")
	h.typeText("dial bob")
	h.press("enter")
	h.want("+15550100", "TALKING")
	h.press("e", "d", ":")
	h.typeText("dial +34 917 370 192")
	h.press("enter")
	h.want("→ out  +34917370192  Ana García (Acme)", "TALKING")
}

// ? shows help generated from the key map, and a rebound key shows there
// and in the footer.
func TestHelpFollowsKeyMap(t *testing.T) {
	km := DefaultKeyMap()
	if err := km.Rebind(map[string][]string{"checkin": {"C"}}); err != nil {
		t.Fatal(err)
	}
	if err := km.Rebind(map[string][]string{"nope": {"x"}}); err == nil {
		t.Fatal("unknown binding accepted")
	}
	h := newHarness(t, session.RoleAgent, func(o *Options) { o.KeyMap = &km })
	h.want("C check in", "press C to check in")
	h.press("?")
	h.want("Help: every key", "answer", "transfer", "check in")
	h.golden("agent_help")
	h.press("esc")
	h.press("C")
	h.want("NOT READY")
}

// Clicking a key in the bottom line presses it.
func TestClickFooter(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	x := -1
	for _, z := range h.m.zones {
		if z.Key == "i" {
			x = z.X0
		}
	}
	if x < 0 {
		t.Fatalf("no check-in hint in %v", h.m.zones)
	}
	h.click(x, h.m.footerY)
	h.want("NOT READY")
}

// A supervisor sees the roster, filters and sorts it, pauses an agent and
// barges into a call, then hangs up.
func TestSupervisorFlow(t *testing.T) {
	// The scripted backend cannot put a roster agent on a call, so it would
	// refuse a barge; the test plays the centre for that one command.
	var sent []session.Command
	h := newHarness(t, session.RoleSupervisor, func(o *Options) {
		send := o.Send
		o.Send = func(ctx context.Context, c session.Command) error {
			if c.Verb == session.VerbBarge {
				sent = append(sent, c)
				return nil
			}
			return send(ctx, c)
		}
		o.Queues = func() []GroupStats {
			return []GroupStats{{Group: "sales", Waiting: 2, LongestWait: 45 * time.Second, ServiceLevel: 0.8, Agents: 3}}
		}
	})
	h.feed(tickMsg{At: h.clk.Now(), Queues: []GroupStats{{Group: "sales", Waiting: 2, LongestWait: 45 * time.Second, ServiceLevel: 0.8, Agents: 3}}, Polled: true})
	h.want("Agents 2", "Ana", "Bo", "NOT READY lunch", "sales", "80%")
	h.golden("supervisor_start")

	h.press("/")
	h.typeText("bo")
	h.press("enter")
	h.want("Agents 2 (1 shown)")
	h.wantNot("Ana ")
	h.press("/", "backspace", "backspace", "enter")
	h.press("s")
	h.want("by name")

	// Select Ana (first by name) and pause her.
	h.press("up", "p")
	h.want("NOT READY paused by supervisor")
	h.press("u")
	h.want("Ana")
	if got := h.m.State().Roster["ana"].State; got != session.AgentReady {
		t.Fatalf("ana = %s after restore", got)
	}

	// The centre reports Ana on a call; the footer offers the monitor keys.
	h.feed(eventsMsg{events: []session.Event{session.AgentStateChanged{Base: session.Base{At: h.clk.Now()}, Agent: "ana", State: session.AgentBusy}}})
	h.want("ON A CALL", "l listen  w whisper  b barge  x intercept")
	h.press("b")
	if len(sent) != 1 || sent[0].Agent != "ana" {
		t.Fatalf("sent %v, want barge ana", sent)
	}
	at := session.CallBase{At: h.clk.Now(), CallID: "m1"}
	h.feed(eventsMsg{events: []session.Event{
		session.CallDialing{CallBase: at, To: "ana"},
		session.CallAnswered{CallBase: at},
		session.CallMonitored{CallBase: at, Mode: session.MonitorBarge, By: "me"},
	}})
	h.want("Your calls", "barge by me", "TALKING")
	h.golden("supervisor_barge")
	h.feed(eventsMsg{events: []session.Event{session.CallEnded{CallBase: at, By: session.BySupervisor}}})
	h.wantNot("Your calls")
}

// A kiosk caller presses one key, sees the position fall with the wait in
// words, talks, and leaves with one key.
func TestKioskFlow(t *testing.T) {
	h := newHarness(t, session.RoleKiosk, nil)
	h.want("Press ENTER to call us", "enter call")
	h.wantNot("q quit", "command")
	h.golden("kiosk_idle")
	h.press("q", "?", ":")
	h.want("Press ENTER to call us")

	h.press("enter")
	h.want("You are number 3 in line", "Estimated wait: about 3 minutes", "esc leave")
	h.golden("kiosk_queued")
	h.v.Advance()
	h.drain()
	h.want("You are number 2 in line", "about 2 minutes")
	h.v.Advance()
	h.drain()
	h.want("You are next", "about a minute")
	h.v.Advance()
	h.drain()
	h.tick(65 * time.Second)
	h.want("You are talking to an agent", "1:05", "esc hang up")
	h.golden("kiosk_talking")
	h.press("esc")
	h.want("Thank you for calling")
}

func TestKioskSpanishAndTrouble(t *testing.T) {
	h := newHarness(t, session.RoleKiosk, func(o *Options) { o.Lang = session.LangSpanish })
	h.press("enter")
	h.want("Usted es el número 3 en la cola", "alrededor de 3 minutos")
	h.feed(eventsMsg{events: []session.Event{session.ConnectionLost{Base: session.Base{At: h.clk.Now()}, Reason: "timeout"}}})
	h.want("Se ha perdido la conexión")
	h.golden("kiosk_network_es")

	k := newHarness(t, session.RoleKiosk, nil)
	k.feed(eventsMsg{events: []session.Event{session.QueueNoAgents{Base: session.Base{At: k.clk.Now()}, Group: "sales"}}})
	k.want("No one can take your call right now")
	k.golden("kiosk_no_agents")
}

// The screen follows the role that auth.result carries.
func TestScreenFollowsRole(t *testing.T) {
	h := newHarness(t, session.RoleKiosk, func(o *Options) { o.Role = session.RoleAgent })
	if h.m.Role() != session.RoleKiosk {
		t.Fatalf("role = %s", h.m.Role())
	}
	h.want("Press ENTER to call us")
}

// Dropping a .vcf file (its path pasted) imports it; progress shows in the
// contacts pane and the end in the status bar.
func TestDropVCFImports(t *testing.T) {
	var got string
	h := newHarness(t, session.RoleAgent, func(o *Options) {
		o.Import = func(ctx context.Context, path string, progress func(done, total int)) error {
			got = path
			progress(2, 4)
			progress(4, 4)
			return nil
		}
	})
	h.feed(tea.PasteMsg{Content: "'/home/ana/my contacts.vcf'"})
	if got != "/home/ana/my contacts.vcf" {
		t.Fatalf("imported %q", got)
	}
	h.want("Imported contacts from my contacts.vcf.", "imported 4 contacts")

	// A failed import is one sentence; a paste that is not a .vcf path is
	// ignored outside a text field.
	h2 := newHarness(t, session.RoleAgent, func(o *Options) {
		o.Import = func(context.Context, string, func(int, int)) error {
			return errors.New("contacts: open x.vcf: permission denied")
		}
	})
	h2.feed(tea.PasteMsg{Content: "/tmp/x.vcf"})
	h2.want("✗ Could not import x.vcf: contacts: open x.vcf: permission denied")
	h2.feed(tea.PasteMsg{Content: "a"})
	h2.want("NOT CHECKED IN")
}

// q during a call asks for a second press.
func TestQuitDuringCallAsksTwice(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	h.press("i", "g")
	h.v.Ring("+15550100")
	h.drain()
	h.press("a", "q")
	if h.quit {
		t.Fatal("quit during a call at the first press")
	}
	h.want("press q again to quit anyway")
	h.press("q")
	if !h.quit {
		t.Fatal("second q did not quit")
	}
}

// rankDir remembers which contacts were called.
type rankDir struct {
	dir
	called []string
}

func (r *rankDir) MarkCalled(id string) bool { r.called = append(r.called, id); return true }

// Dialling a contact from the pane tells a ranking directory.
func TestDialMarksContactCalled(t *testing.T) {
	rd := &rankDir{dir: book}
	h := newHarness(t, session.RoleAgent, func(o *Options) { o.Directory = rd })
	h.press("i", "/")
	h.typeText("bob")
	h.press("enter")
	h.want("TALKING")
	if len(rd.called) != 1 || rd.called[0] != "2" {
		t.Fatalf("called %v", rd.called)
	}
}

// "dial *72" in the palette dials the service code: it searched the
// contacts for a name "*72" before, as headless mode did not.
func TestPaletteDialsServiceCodes(t *testing.T) {
	h := newHarness(t, session.RoleAgent, withBook)
	h.press(":")
	h.typeText("checkin sales")
	h.press("enter", ":")
	h.typeText("dial *72")
	h.press("enter")
	h.want("→ out  *72")
	h.wantNot("no contact")
}
