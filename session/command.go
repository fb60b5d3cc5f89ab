package session

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Verb is the first word of a command: the same words are the headless stdin
// language and the TUI's command palette.
type Verb string

// The command verbs of DESIGN.md.
const (
	VerbUnknown  Verb = ""
	VerbCheckIn  Verb = "checkin"
	VerbCheckOut Verb = "checkout"
	VerbReady    Verb = "ready"
	VerbNotReady Verb = "notready"
	VerbRest     Verb = "rest"
	VerbDone     Verb = "done"
	// VerbDisposition sets the wrap-up's disposition code (and a note).
	VerbDisposition Verb = "disposition"
	VerbDial        Verb = "dial"
	VerbAnswer      Verb = "answer"
	VerbReject      Verb = "reject"
	VerbHangup      Verb = "hangup"
	VerbHold        Verb = "hold"
	VerbRetrieve    Verb = "retrieve"
	VerbTransfer    Verb = "transfer"
	VerbDTMF        Verb = "dtmf"
	VerbMute        Verb = "mute"
	VerbUnmute      Verb = "unmute"
	VerbListen      Verb = "listen"
	VerbWhisper     Verb = "whisper"
	VerbBarge       Verb = "barge"
	VerbIntercept   Verb = "intercept"
	VerbPause       Verb = "pause"
	VerbRestore     Verb = "restore"
	VerbLogout      Verb = "logout"
	VerbCall        Verb = "call"
	VerbLeave       Verb = "leave"
	VerbQuit        Verb = "quit"
)

// verbs is every verb in the order help shows them.
var verbs = [...]Verb{
	VerbCheckIn, VerbCheckOut, VerbReady, VerbNotReady, VerbRest, VerbDone, VerbDisposition,
	VerbDial, VerbAnswer, VerbReject, VerbHangup, VerbHold, VerbRetrieve,
	VerbTransfer, VerbConsult, VerbComplete, VerbConference, VerbCancel, VerbDTMF, VerbMute, VerbUnmute,
	VerbListen, VerbWhisper, VerbBarge, VerbIntercept, VerbPause, VerbRestore, VerbLogout,
	VerbRecord, VerbCall, VerbCallback, VerbLeave, VerbQuit,
}

// Verbs returns every verb in the order help shows them: a fresh copy, so
// no importer can change the language.
func Verbs() []Verb { return slices.Clone(verbs[:]) }

// Known reports whether v is a verb of the language.
func (v Verb) Known() bool { return v != VerbUnknown && slices.Contains(verbs[:], v) }

// String returns the word, or "unknown".
func (v Verb) String() string {
	if v == VerbUnknown {
		return "unknown"
	}
	return string(v)
}

// Usage returns the verb's argument synopsis, as in DESIGN.md.
func (v Verb) Usage() string {
	switch v {
	case VerbCheckIn:
		return "checkin [GROUP,...]"
	case VerbNotReady:
		return "notready [REASON]"
	case VerbRest:
		return "rest [REASON]"
	case VerbDial:
		return "dial NUMBER|CONTACT"
	case VerbTransfer:
		return "transfer agent:ID|group:ID|NUMBER"
	case VerbConsult:
		return "consult agent:ID|group:ID|NUMBER"
	case VerbDTMF:
		return "dtmf DIGITS"
	case VerbListen, VerbWhisper, VerbBarge, VerbIntercept, VerbPause, VerbRestore, VerbLogout:
		return string(v) + " AGENT"
	case VerbCall:
		return "call [GROUP]"
	case VerbDisposition:
		return "disposition CODE [NOTE]"
	case VerbCallback:
		return "callback [NUMBER]"
	case VerbRecord:
		return "record on|off [AGENT]"
	}
	return string(v)
}

// Supervisory reports whether v acts on another agent and needs a right.
func (v Verb) Supervisory() bool {
	switch v {
	case VerbListen, VerbWhisper, VerbBarge, VerbIntercept, VerbPause, VerbRestore, VerbLogout:
		return true
	}
	return false
}

// Right returns the right a supervisory verb needs.
func (v Verb) Right() Right {
	if v.Supervisory() {
		return Right(v)
	}
	return ""
}

// TargetKind says what a transfer goes to.
type TargetKind string

// Transfer targets.
const (
	TargetNone   TargetKind = ""
	TargetAgent  TargetKind = "agent"
	TargetGroup  TargetKind = "group"
	TargetNumber TargetKind = "number"
)

// Target is where a transfer goes.
type Target struct {
	Kind TargetKind `json:"kind"`
	ID   string     `json:"id"`
}

// String returns the command-line form: agent:ID, group:ID or the number.
func (t Target) String() string {
	if t.Kind == TargetNumber {
		return t.ID
	}
	return string(t.Kind) + ":" + t.ID
}

// Command is an imperative request from the person: one verb and its
// arguments. Only the fields the verb uses are set.
type Command struct {
	Verb   Verb     `json:"verb"`
	Groups []string `json:"groups,omitempty"` // checkin
	Reason string   `json:"reason,omitempty"` // notready, rest
	Number string   `json:"number,omitempty"` // dial
	Target Target   `json:"target,omitzero"`  // transfer, consult
	Digits string   `json:"digits,omitempty"` // dtmf
	Agent  string   `json:"agent,omitempty"`  // supervisory verbs
	Group  string   `json:"group,omitempty"`  // call (kiosk)
	CallID string   `json:"call_id,omitempty"`
	Code   string   `json:"code,omitempty"`   // disposition
	Note   string   `json:"note,omitempty"`   // disposition
	Record string   `json:"record,omitempty"` // record: on or off
}

// String returns the command as it would be typed.
func (c Command) String() string {
	parts := []string{string(c.Verb)}
	switch c.Verb {
	case VerbCheckIn:
		if len(c.Groups) > 0 {
			parts = append(parts, strings.Join(c.Groups, ","))
		}
	case VerbNotReady, VerbRest:
		if c.Reason != "" {
			parts = append(parts, c.Reason)
		}
	case VerbDial:
		parts = append(parts, c.Number)
	case VerbTransfer, VerbConsult:
		parts = append(parts, c.Target.String())
	case VerbDTMF:
		parts = append(parts, c.Digits)
	case VerbDisposition:
		parts = append(parts, c.Code)
		if c.Note != "" {
			parts = append(parts, c.Note)
		}
	case VerbCall:
		if c.Group != "" {
			parts = append(parts, c.Group)
		}
	case VerbCallback:
		if c.Number != "" {
			parts = append(parts, c.Number)
		}
	case VerbRecord:
		parts = append(parts, c.Record)
		if c.Agent != "" {
			parts = append(parts, c.Agent)
		}
	default:
		if c.Verb.Supervisory() {
			parts = append(parts, c.Agent)
		}
	}
	return strings.Join(parts, " ")
}

// ErrSyntax is wrapped by ParseCommand's errors.
var ErrSyntax = errors.New("bad command")

// ParseCommand reads one line of the command language. Blank lines and lines
// starting with # are ErrEmpty.
func ParseCommand(line string) (Command, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
		return Command{}, ErrEmpty
	}
	verb := Verb(strings.ToLower(fields[0]))
	args := fields[1:]
	c := Command{Verb: verb}
	bad := func(format string, a ...any) (Command, error) {
		return Command{}, fmt.Errorf("%w: %s", ErrSyntax, fmt.Sprintf(format, a...))
	}
	want := func(n int) error {
		switch {
		case len(args) <= n:
			return nil
		case n == 0:
			return fmt.Errorf("%w: %s takes no argument (usage: %s)", ErrSyntax, verb, verb.Usage())
		}
		return fmt.Errorf("%w: %s takes at most one argument (usage: %s)", ErrSyntax, verb, verb.Usage())
	}
	need := func() error {
		if len(args) != 1 {
			return fmt.Errorf("%w: usage: %s", ErrSyntax, verb.Usage())
		}
		return nil
	}
	var err error
	switch verb {
	case VerbCheckIn:
		if len(args) > 0 {
			for _, g := range strings.Split(strings.Join(args, ","), ",") {
				if g = strings.TrimSpace(g); g != "" {
					c.Groups = append(c.Groups, g)
				}
			}
		}
	case VerbNotReady, VerbRest:
		c.Reason = strings.Join(args, " ")
	case VerbDial:
		if len(args) == 0 {
			return bad("usage: %s", verb.Usage())
		}
		c.Number = strings.Join(args, " ")
	case VerbTransfer, VerbConsult:
		if err = need(); err == nil {
			c.Target, err = ParseTarget(args[0])
		}
	case VerbDTMF:
		if err = need(); err == nil {
			c.Digits = strings.ToUpper(args[0])
			if !ValidDigits(c.Digits) {
				return bad("dtmf digits are 0-9 * # A-D, not %q", args[0])
			}
		}
	case VerbListen, VerbWhisper, VerbBarge, VerbIntercept, VerbPause, VerbRestore, VerbLogout:
		if err = need(); err == nil {
			c.Agent = args[0]
		}
	case VerbDisposition:
		if len(args) == 0 {
			return bad("usage: %s", verb.Usage())
		}
		c.Code, c.Note = args[0], strings.Join(args[1:], " ")
	case VerbCall:
		if err = want(1); err == nil && len(args) == 1 {
			c.Group = args[0]
		}
	case VerbCallback:
		c.Number = strings.Join(args, "")
	case VerbRecord:
		if len(args) == 0 || len(args) > 2 || (args[0] != "on" && args[0] != "off") {
			return bad("usage: %s", verb.Usage())
		}
		c.Record = args[0]
		if len(args) == 2 {
			c.Agent = args[1]
		}
	case VerbCheckOut, VerbReady, VerbDone, VerbAnswer, VerbReject, VerbHangup, VerbHold,
		VerbRetrieve, VerbMute, VerbUnmute, VerbLeave, VerbQuit, VerbComplete, VerbConference, VerbCancel:
		err = want(0)
	default:
		return bad("unknown command %q (try: %s)", fields[0], verbList())
	}
	if err != nil {
		return Command{}, err
	}
	return c, nil
}

// ErrEmpty is returned by ParseCommand for a blank or comment line.
var ErrEmpty = errors.New("empty command")

// ParseTarget reads agent:ID, group:ID, a number, or a sip:, sips: or tel:
// URI (a number, as DialNumber reads it).
func ParseTarget(s string) (Target, error) {
	if lower := strings.ToLower(s); strings.HasPrefix(lower, "tel:") || IsSIPURI(lower) {
		n, ok := DialNumber(s)
		if !ok || n != s {
			return Target{}, fmt.Errorf("%w: transfer target %q is not a SIP address or tel: number", ErrSyntax, s)
		}
		return Target{Kind: TargetNumber, ID: n}, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	if !ok {
		if !validNumber(s) {
			return Target{}, fmt.Errorf("%w: transfer target %q is not agent:ID, group:ID or a number", ErrSyntax, s)
		}
		return Target{Kind: TargetNumber, ID: s}, nil
	}
	if id == "" {
		return Target{}, fmt.Errorf("%w: transfer target %q has no id", ErrSyntax, s)
	}
	switch TargetKind(strings.ToLower(kind)) {
	case TargetAgent:
		return Target{Kind: TargetAgent, ID: id}, nil
	case TargetGroup:
		return Target{Kind: TargetGroup, ID: id}, nil
	}
	return Target{}, fmt.Errorf("%w: transfer target %q: want agent: or group:", ErrSyntax, s)
}

// ValidDigits reports whether s is a non-empty run of DTMF symbols.
func ValidDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789*#ABCD", r) {
			return false
		}
	}
	return true
}

func validNumber(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits > 0
}

func verbList() string {
	w := make([]string, len(verbs))
	for i, v := range verbs {
		w[i] = string(v)
	}
	return strings.Join(w, ", ")
}
