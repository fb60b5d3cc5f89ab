package session

import (
	"errors"
	"slices"
	"strings"
)

// Disposition codes: during wrap-up the agent says how the call went
// ("sale", "callback", "complaint"), from the codes of the call's group;
// a group may require one before done.

// TypeAgentDisposition is the wire name of AgentDisposition.
const TypeAgentDisposition EventType = "agent.disposition"

// AgentDisposition: the centre stored the wrap-up's disposition code (and
// note) in the call's record.
type AgentDisposition struct {
	Base
	CallID string `json:"call_id,omitempty"`
	Code   string `json:"code"`
	Note   string `json:"note,omitempty"`
}

func (AgentDisposition) Type() EventType { return TypeAgentDisposition }

var (
	// ErrNoDisposition: done before choosing the disposition code the
	// group requires.
	ErrNoDisposition = errors.New("no disposition code chosen")
	// ErrUnknownCode: a disposition code the call's group does not offer.
	ErrUnknownCode = errors.New("unknown disposition code")
)

// checkDisposition allows disposition CODE in wrap-up, with one of the
// group's codes when the group lists them.
func checkDisposition(s State, c Command) error {
	refuse := func(err error, detail string) error {
		return &CheckError{Command: c, Err: err, Detail: detail}
	}
	if s.Agent.State != AgentWrapUp {
		return refuse(ErrNotWrappingUp, "you are "+s.Agent.State.String())
	}
	if c.Code == "" {
		return refuse(ErrBadArgument, "which code? "+codeList(s.Agent.Codes))
	}
	if len(s.Agent.Codes) > 0 && !slices.Contains(s.Agent.Codes, c.Code) {
		return refuse(ErrUnknownCode, codeList(s.Agent.Codes))
	}
	return nil
}

// codeList says which codes there are.
func codeList(codes []string) string {
	if len(codes) == 0 {
		return "the group lists no codes"
	}
	return "codes: " + strings.Join(codes, ", ")
}
