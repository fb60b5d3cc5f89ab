// Package sfphone translates the iframe web softphone of seed 002 to
// agentty's session model and back.
//
// The softphone posts {type, data} messages to its parent window; the shim
// listens with window.addEventListener('message', ...) and relays
// {event: type, data: data} for the four phone events. Messages the parent
// posts into the iframe (window.frames.sf.postMessage) are commands:
// click2call and the contacts push. A parent integration's contacts push and
// a dropped VCF file are relayed too ("contacts", "vcf"), so agentty's
// contact book holds the same volatile contacts the softphone indexes.
package sfphone

import (
	"strings"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// Name is the backend name.
const Name = "sfphone"

// Capabilities: the seed documents one command, click2call. Answering and
// hanging up happen in the softphone's own window.
func Capabilities() []session.Verb {
	return []session.Verb{session.VerbDial}
}

// Events lists every message seed 002 documents.
var Events = []string{"phone:calling", "phone:ringing", "phone:accepted", "phone:terminated", "contacts", "vcf"}

// PhoneData is the `data` of the phone:* messages, verbatim from seed 002.
type PhoneData struct {
	Context struct {
		Status    string `json:"status"`
		User      string `json:"user"`
		Extension string `json:"extension"`
		Size      struct {
			Width  int `json:"width"`
			Height int `json:"height"`
		} `json:"size"`
	} `json:"context"`
	ID        string  `json:"id"`
	Date      string  `json:"date"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Direction string  `json:"direction"` // "inbound" | "outbound"
	Status    string  `json:"status"`    // "ringing" | "answered"
	Duration  float64 `json:"duration"`  // seconds talking
	Wait      float64 `json:"wait"`      // seconds before answer
	Total     float64 `json:"total"`     // seconds overall
	Team      string  `json:"team"`
}

// Contact is one entry of the seed's contacts format:
// { id: 'id1', name: 'John Doe', phones: ['+34666555444'] }.
type Contact struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Phones []string `json:"phones"`
}

// Translator keeps the pushed contacts' numbers, for caller ID on ringing.
// One goroutine only.
type Translator struct {
	names map[string]string // phone -> name
	// Pushed holds the last contacts push, for the bridge to hand to the
	// contact book as volatile contacts; VCF holds the last dropped file.
	Pushed []Contact
	VCF    string
}

func secs(f float64) session.Seconds {
	if f < 0 || f > 1e7 {
		return session.Unknown
	}
	return session.Secs(time.Duration(f * float64(time.Second)))
}

// Decode turns one seed-002 message into session events.
func (t *Translator) Decode(m wire.Msg, at time.Time) ([]session.Event, error) {
	switch m.Event {
	case "phone:calling", "phone:ringing", "phone:accepted", "phone:terminated":
		var d PhoneData
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		if d.ID == "" {
			return nil, wire.Malformed(Name, m.Event, errNoID)
		}
		cb := session.CallBase{At: at, CallID: d.ID}
		switch m.Event {
		case "phone:calling": // an outgoing call is being placed
			return []session.Event{session.CallDialing{CallBase: cb, To: d.To}}, nil
		case "phone:ringing": // an incoming call
			return []session.Event{session.CallRinging{CallBase: cb, Direction: session.DirInbound,
				From: d.From, To: d.To, Team: d.Team, Contact: t.names[d.From]}}, nil
		case "phone:accepted":
			return []session.Event{session.CallAnswered{CallBase: cb, Wait: secs(d.Wait)}}, nil
		}
		e := session.CallEnded{CallBase: cb, Duration: secs(d.Duration), Wait: secs(d.Wait), Total: secs(d.Total)}
		if d.Status != "answered" {
			e.Duration = 0
		}
		return []session.Event{e}, nil
	case "contacts": // { contacts: [...] }, volatile
		var d struct {
			Contacts []Contact `json:"contacts"`
		}
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		t.Pushed = d.Contacts
		t.names = make(map[string]string, len(d.Contacts))
		for _, c := range d.Contacts {
			for _, p := range c.Phones {
				t.names[p] = c.Name
			}
		}
		return []session.Event{session.ContactsPushed{Base: session.Base{At: at}, Count: len(d.Contacts)}}, nil
	case "vcf": // a VCF file dropped on the softphone: {name, text}
		var d struct {
			Text string `json:"text"`
		}
		if err := wire.Unmarshal(Name, m, &d); err != nil {
			return nil, err
		}
		t.VCF = d.Text
		n := strings.Count(strings.ToUpper(d.Text), "BEGIN:VCARD")
		return []session.Event{session.ContactsPushed{Base: session.Base{At: at}, Count: n}}, nil
	}
	return nil, wire.Unknown(Name, m.Event)
}

type errString string

func (e errString) Error() string { return string(e) }

const errNoID = errString("no call id")

// Encode turns dial into the seed's click2call message:
// window.frames.sf.postMessage({ type: 'click2call', data: { number } }, '*').
func Encode(c session.Command) (wire.Call, error) {
	if c.Verb == session.VerbDial {
		return wire.Call{Method: "click2call", Args: []any{map[string]any{"number": c.Number}}}, nil
	}
	return wire.Call{}, wire.NoMethod(Name, string(c.Verb))
}

// PushContacts is the seed's contacts message into the softphone:
// postMessage({ type: 'contacts', data: { contacts } }, '*').
func PushContacts(cs []Contact) wire.Call {
	return wire.Call{Method: "contacts", Args: []any{map[string]any{"contacts": cs}}}
}
