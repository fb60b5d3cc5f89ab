package session

import "errors"

// Consultation (attended transfer and conference): from a talking call the
// agent consults a target (agent, group or number): the call is held (the
// caller hears music) and the target is called. Then complete joins the
// caller and the target and drops the agent, conference makes the three
// talk together, and cancel hangs the consultation up and returns to the
// caller.
const (
	// VerbConsult holds the talking call and calls Target.
	VerbConsult Verb = "consult"
	// VerbComplete joins the held caller and the consulted party; the
	// agent leaves both calls (an attended transfer).
	VerbComplete Verb = "complete"
	// VerbConference joins the held caller, the consulted party and the
	// agent in one three-way call.
	VerbConference Verb = "conference"
	// VerbCancel hangs the consultation up and retrieves the held call.
	VerbCancel Verb = "cancel"
)

// ConsultVerbs are the consultation verbs, in the order help shows them.
var ConsultVerbs = []Verb{VerbConsult, VerbComplete, VerbConference, VerbCancel}

var (
	// ErrConsulting: consult while a call is already held (a consultation
	// is under way, or another call waits on hold).
	ErrConsulting = errors.New("already consulting")
	// ErrNoConsultation: complete, conference or cancel without a held
	// call and a consultation.
	ErrNoConsultation = errors.New("no consultation")
	// ErrConsultRinging: complete or conference before the consulted party
	// answered.
	ErrConsultRinging = errors.New("the consultation has not been answered")
)

// Consultation returns the held call and the consultation call of an agent
// who consults: the consultation is the outbound call placed while the
// held one waits (dialling, ringing at the far end, or talking).
func (s State) Consultation() (held, consult Call, ok bool) {
	held, isHeld := s.Held()
	if !isHeld {
		return Call{}, Call{}, false
	}
	for _, c := range s.Calls {
		if c.ID != held.ID && c.Direction == DirOutbound && c.Phase != PhaseHeld {
			return held, c, true
		}
	}
	return held, Call{}, false
}

// checkConsult checks the consultation verbs against the calls.
func checkConsult(s State, c Command, refuse func(error, string) error) error {
	held, consult, ok := s.Consultation()
	_, isHeld := s.Held()
	switch c.Verb {
	case VerbConsult:
		if t, err := ParseTarget(c.Target.String()); err != nil || t != c.Target {
			return refuse(ErrBadArgument, "consult agent:ID, group:ID or a number")
		}
		if isHeld {
			return refuse(ErrConsulting, "complete, conference or cancel first")
		}
		if _, talking := s.Talking(); !talking {
			if _, ringing := s.Ringing(); ringing {
				return refuse(ErrCallRinging, "answer it first")
			}
			return refuse(ErrNoCall, "consult from a talking call")
		}
	case VerbComplete, VerbConference:
		if !ok {
			if isHeld {
				return refuse(ErrNoConsultation, "consult someone first, or retrieve "+held.Remote())
			}
			return refuse(ErrNoConsultation, "consult someone first")
		}
		if consult.Phase != PhaseTalking {
			return refuse(ErrConsultRinging, "wait for "+consult.Remote()+" to answer, or cancel")
		}
	case VerbCancel:
		if !isHeld {
			return refuse(ErrNoConsultation, "no call is on hold")
		}
	}
	return nil
}
