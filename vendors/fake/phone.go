package fake

import (
	"fmt"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
)

// PhoneName is the registry name of the scripted phone.
const PhoneName = "scripted-phone"

func init() {
	vendors.Register(PhoneName, func(cfg vendors.Config) (vendors.Vendor, error) {
		if r := session.Role(cfg.Options["role"]); r != session.RoleUnknown && r != session.RoleAgent {
			return nil, fmt.Errorf("fake: a phone has no role %q: it signs in an agent", r)
		}
		return NewPhone(cfg.Clock, cfg.Token), nil
	})
}

// NewPhone returns a scripted phone with no ACD and no kiosk: the shape of
// a SIP account or a softphone SDK. It has PhoneVerbs (dial, answer,
// reject, hangup, hold, retrieve, transfer, dtmf, mute, unmute) and no
// check-in, ready or wrap-up; a call rings at once (Ring) and the agent
// needs no check-in to dial. Its connection.established names the vendor
// "scripted", as New's does.
func NewPhone(clock vendors.Clock, token string) *Vendor {
	v := New(clock, session.RoleAgent, token)
	v.phone = true
	return v
}
