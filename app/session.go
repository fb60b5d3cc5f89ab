package app

import (
	"errors"
	"slices"

	"github.com/agentty/agentty/session"
)

// Session is one person's session on a backend as every front end holds
// it: the State, the steps of the command pipeline (Parse, Resolve,
// Check), caller ID, and the verbs possible now. The console, headless
// mode (through Run) and the contract suite all drive one. Its zero value
// works: no contact book, so a name is not dialled and no caller is named.
//
// A Session has one owner (the console's Update, Run's loop, a test); it is
// not safe for concurrent use. Resolve only reads Search, so the console
// may call it from a Cmd goroutine.
type Session struct {
	State session.State
	// Search finds a contact's numbers for "dial NAME"; nil refuses names.
	Search Search
	// Lookup names a caller from a number (a contact book's exact-number
	// lookup); nil names nobody. Apply calls it for a ringing call, so it
	// must be quick.
	Lookup func(number string) (name string, ok bool)
}

// Parse reads one line of the command language (session.ParseCommand):
// session.ErrEmpty for a blank line or a comment.
func (s *Session) Parse(line string) (session.Command, error) {
	return session.ParseCommand(line)
}

// Resolve applies the number rule and dial-by-name (ResolveDial with
// Search). It may block on the contact book.
func (s *Session) Resolve(c session.Command) (session.Command, error) {
	return ResolveDial(c, s.Search)
}

// Searches reports whether Resolve would search the contact book for c
// (a dial of a name, with a book): the console then resolves it in a Cmd.
func (s *Session) Searches(c session.Command) bool {
	if c.Verb != session.VerbDial || s.Search == nil {
		return false
	}
	_, number := session.DialNumber(c.Number)
	return !number
}

// Check reports whether the state allows c (session.Check): a refusal is
// a *session.CheckError whose Reason is the sentence for the person.
func (s *Session) Check(c session.Command) error {
	return session.Check(s.State, c)
}

// Prepare is the whole pipeline before Send for a typed line: Parse,
// Resolve, Check. It returns the command to send, or why not; quit comes
// back as a command for the caller to act on.
func (s *Session) Prepare(line string) (session.Command, error) {
	c, err := s.Parse(line)
	if err != nil {
		return c, err
	}
	if c.Verb == session.VerbQuit {
		return c, nil
	}
	if c, err = s.Resolve(c); err != nil {
		return c, err
	}
	return c, s.Check(c)
}

// Apply names the caller of a ringing call (CallerID with Lookup) and
// folds the event into the State (session.Transition). It returns the
// event as named, and the transition's error when the event did not fit
// (then only the State's clock moved).
func (s *Session) Apply(e session.Event) (session.Event, error) {
	e = CallerID(e, s.Lookup)
	next, err := session.Transition(s.State, e)
	s.State = next
	return e, err
}

// Reason is the sentence for the person of a refusal: a CheckError's
// Reason, else the error's text.
func Reason(err error) string {
	var ce *session.CheckError
	if errors.As(err, &ce) {
		return ce.Reason()
	}
	return err.Error()
}

// Possible returns the verbs the backend has and the state allows now, in
// session.Verbs order, quit left out: what a footer, a help screen, a
// palette or a picker may offer. A verb that takes an argument is possible
// when some argument would do (a supervisory verb: some agent on the
// roster, any agent when the roster is not known).
func (s *Session) Possible() []session.Verb {
	var out []session.Verb
	for _, v := range session.Verbs() {
		if v != session.VerbQuit && s.Allows(v) {
			out = append(out, v)
		}
	}
	return out
}

// Allows reports whether v is possible now (see Possible).
func (s *Session) Allows(v session.Verb) bool {
	st := s.State
	if v == session.VerbQuit {
		return true
	}
	if !st.Capabilities.Has(v) {
		return false
	}
	c := probe(st, v)
	if !v.Supervisory() || st.Roster == nil {
		return session.Check(st, c) == nil
	}
	ids := make([]string, 0, len(st.Roster))
	for id := range st.Roster {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c.Agent = id
		if session.Check(st, c) == nil {
			return true
		}
	}
	return false
}

// probe is a command of verb v with arguments Check accepts, so that only
// the state decides.
func probe(st session.State, v session.Verb) session.Command {
	c := session.Command{Verb: v}
	switch v {
	case session.VerbDial:
		c.Number = "0"
	case session.VerbTransfer, session.VerbConsult:
		c.Target = session.Target{Kind: session.TargetNumber, ID: "0"}
	case session.VerbDTMF:
		c.Digits = "1"
	case session.VerbRecord:
		c.Record = "on"
	case session.VerbDisposition:
		c.Code = "code"
		if len(st.Agent.Codes) > 0 {
			c.Code = st.Agent.Codes[0]
		}
	}
	if v.Supervisory() {
		c.Agent = "\x00someone" // no user is called so: Check's "that is you" never fires
	}
	return c
}
