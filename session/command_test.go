package session_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/agentty/agentty/session"
)

func TestParseCommand(t *testing.T) {
	g := func(gs ...string) []string { return gs }
	good := []struct {
		line string
		want session.Command
		str  string // String(), when not the line itself
	}{
		{"checkin", session.Command{Verb: session.VerbCheckIn}, ""},
		{"checkin sales", session.Command{Verb: session.VerbCheckIn, Groups: g("sales")}, ""},
		{"checkin sales,support", session.Command{Verb: session.VerbCheckIn, Groups: g("sales", "support")}, ""},
		{"checkin sales, support ,,x", session.Command{Verb: session.VerbCheckIn, Groups: g("sales", "support", "x")}, "checkin sales,support,x"},
		{"checkout", session.Command{Verb: session.VerbCheckOut}, ""},
		{"ready", session.Command{Verb: session.VerbReady}, ""},
		{"  READY  ", session.Command{Verb: session.VerbReady}, "ready"},
		{"notready", session.Command{Verb: session.VerbNotReady}, ""},
		{"notready lunch  break", session.Command{Verb: session.VerbNotReady, Reason: "lunch break"}, "notready lunch break"},
		{"rest", session.Command{Verb: session.VerbRest}, ""},
		{"rest tea", session.Command{Verb: session.VerbRest, Reason: "tea"}, ""},
		{"disposition sale", session.Command{Verb: session.VerbDisposition, Code: "sale"}, ""},
		{"disposition sale  two  boxes", session.Command{Verb: session.VerbDisposition, Code: "sale", Note: "two boxes"}, "disposition sale two boxes"},
		{"done", session.Command{Verb: session.VerbDone}, ""},
		{"dial +1 555 0100", session.Command{Verb: session.VerbDial, Number: "+1 555 0100"}, ""},
		{"dial Ana Lopez", session.Command{Verb: session.VerbDial, Number: "Ana Lopez"}, ""},
		{"answer", session.Command{Verb: session.VerbAnswer}, ""},
		{"reject", session.Command{Verb: session.VerbReject}, ""},
		{"hangup", session.Command{Verb: session.VerbHangup}, ""},
		{"hold", session.Command{Verb: session.VerbHold}, ""},
		{"retrieve", session.Command{Verb: session.VerbRetrieve}, ""},
		{"transfer agent:bo", session.Command{Verb: session.VerbTransfer, Target: session.Target{Kind: session.TargetAgent, ID: "bo"}}, ""},
		{"transfer Group:support", session.Command{Verb: session.VerbTransfer, Target: session.Target{Kind: session.TargetGroup, ID: "support"}}, "transfer group:support"},
		{"transfer +1(555)010-0", session.Command{Verb: session.VerbTransfer, Target: session.Target{Kind: session.TargetNumber, ID: "+1(555)010-0"}}, ""},
		{"transfer agent:a:b", session.Command{Verb: session.VerbTransfer, Target: session.Target{Kind: session.TargetAgent, ID: "a:b"}}, ""},
		{"consult group:support", session.Command{Verb: session.VerbConsult, Target: session.Target{Kind: session.TargetGroup, ID: "support"}}, ""},
		{"complete", session.Command{Verb: session.VerbComplete}, ""},
		{"conference", session.Command{Verb: session.VerbConference}, ""},
		{"cancel", session.Command{Verb: session.VerbCancel}, ""},
		{"dtmf 0123456789*#abcd", session.Command{Verb: session.VerbDTMF, Digits: "0123456789*#ABCD"}, "dtmf 0123456789*#ABCD"},
		{"mute", session.Command{Verb: session.VerbMute}, ""},
		{"unmute", session.Command{Verb: session.VerbUnmute}, ""},
		{"listen ana", session.Command{Verb: session.VerbListen, Agent: "ana"}, ""},
		{"whisper ana", session.Command{Verb: session.VerbWhisper, Agent: "ana"}, ""},
		{"barge ana", session.Command{Verb: session.VerbBarge, Agent: "ana"}, ""},
		{"intercept ana", session.Command{Verb: session.VerbIntercept, Agent: "ana"}, ""},
		{"pause ana", session.Command{Verb: session.VerbPause, Agent: "ana"}, ""},
		{"restore ana", session.Command{Verb: session.VerbRestore, Agent: "ana"}, ""},
		{"logout ana", session.Command{Verb: session.VerbLogout, Agent: "ana"}, ""},
		{"call", session.Command{Verb: session.VerbCall}, ""},
		{"call sales", session.Command{Verb: session.VerbCall, Group: "sales"}, ""},
		{"leave", session.Command{Verb: session.VerbLeave}, ""},
		{"callback", session.Command{Verb: session.VerbCallback}, ""},
		{"callback +1 555 0100", session.Command{Verb: session.VerbCallback, Number: "+15550100"}, "callback +15550100"},
		{"record on", session.Command{Verb: session.VerbRecord, Record: "on"}, ""},
		{"record off ana", session.Command{Verb: session.VerbRecord, Record: "off", Agent: "ana"}, ""},
		{"quit", session.Command{Verb: session.VerbQuit}, ""},
	}
	seen := map[session.Verb]bool{}
	for _, c := range good {
		got, err := session.ParseCommand(c.line)
		if err != nil {
			t.Errorf("%q: %v", c.line, err)
			continue
		}
		seen[got.Verb] = true
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q = %#v, want %#v", c.line, got, c.want)
		}
		str := c.str
		if str == "" {
			str = c.line
		}
		if got.String() != str {
			t.Errorf("%q.String() = %q, want %q", c.line, got.String(), str)
		}
		if again, err := session.ParseCommand(got.String()); err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("%q: round trip %q -> %#v, %v", c.line, got.String(), again, err)
		}
	}
	for _, v := range session.Verbs() {
		if !seen[v] {
			t.Errorf("verb %s has no good example", v)
		}
	}

	bad := []struct{ line, want string }{
		{"fly to the moon", `bad command: unknown command "fly" (try: checkin, checkout,`},
		{"checkout now", "bad command: checkout takes no argument (usage: checkout)"},
		{"ready set go", "bad command: ready takes no argument (usage: ready)"},
		{"quit now", "bad command: quit takes no argument"},
		{"call sales support", "bad command: call takes at most one argument (usage: call [GROUP])"},
		{"dial", "bad command: usage: dial NUMBER|CONTACT"},
		{"transfer", "bad command: usage: transfer agent:ID|group:ID|NUMBER"},
		{"transfer a b", "bad command: usage: transfer agent:ID|group:ID|NUMBER"},
		{"transfer nowhere", `bad command: transfer target "nowhere" is not agent:ID, group:ID or a number`},
		{"transfer agent:", `bad command: transfer target "agent:" has no id`},
		{"transfer queue:5", `bad command: transfer target "queue:5": want agent: or group:`},
		{"transfer +", `bad command: transfer target "+" is not agent:ID, group:ID or a number`},
		{"dtmf", "bad command: usage: dtmf DIGITS"},
		{"dtmf 12x", `bad command: dtmf digits are 0-9 * # A-D, not "12x"`},
		{"listen", "bad command: usage: listen AGENT"},
		{"barge a b", "bad command: usage: barge AGENT"},
	}
	for _, c := range bad {
		got, err := session.ParseCommand(c.line)
		if err == nil {
			t.Errorf("%q parsed to %#v", c.line, got)
			continue
		}
		if !errors.Is(err, session.ErrSyntax) {
			t.Errorf("%q: %v does not wrap ErrSyntax", c.line, err)
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %q, want %q", c.line, err, c.want)
		}
		if !reflect.DeepEqual(got, session.Command{}) {
			t.Errorf("%q: error with a command %#v", c.line, got)
		}
	}
	for _, line := range []string{"", "   ", "\t\n", "# a comment", "#ready"} {
		if _, err := session.ParseCommand(line); !errors.Is(err, session.ErrEmpty) {
			t.Errorf("%q: %v, want ErrEmpty", line, err)
		}
	}
}

func TestVerbUsage(t *testing.T) {
	for _, v := range session.Verbs() {
		u := v.Usage()
		if !strings.HasPrefix(u, string(v)) {
			t.Errorf("%s usage %q", v, u)
		}
		if v.Supervisory() != (v.Right() != "") {
			t.Errorf("%s: supervisory %v, right %q", v, v.Supervisory(), v.Right())
		}
	}
	if session.VerbBarge.Right() != session.RightBarge || session.VerbHold.Right() != "" {
		t.Errorf("rights of verbs")
	}
	if (session.Target{Kind: session.TargetNumber, ID: "5"}).String() != "5" || (session.Target{Kind: session.TargetAgent, ID: "a"}).String() != "agent:a" {
		t.Errorf("Target.String")
	}
}

func TestValidDigits(t *testing.T) {
	for s, want := range map[string]bool{"": false, "0": true, "*#ABCD": true, "abcd": false, "1 2": false, "١": false, "12E": false} {
		if got := session.ValidDigits(s); got != want {
			t.Errorf("ValidDigits(%q) = %v", s, got)
		}
	}
}
