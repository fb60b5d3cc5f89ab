// Package wire is the message shape between the bridge page's vendor shim
// and agentty, shared by the five seed translators (videsk, voximplant,
// sfphone, aicc, phonesdk) and the bridge that carries them.
//
// The shim relays each vendor event as it received it: the name it listened
// for and the payload the SDK handed its listener, untouched. Commands go the
// other way as a method name and positional arguments, which the shim passes
// to the SDK (or posts to the iframe) as they are.
package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
)

// Msg is one vendor event as the shim saw it.
type Msg struct {
	// Event is the vendor's own name (Videsk "queued", Voximplant
	// "AuthResult", sfphone "phone:ringing", AICC "AgentState_Ready",
	// phone-sdk "onCallInRing").
	Event string `json:"event"`
	// Data is the payload the listener received, verbatim JSON; absent or
	// null when the SDK passes none.
	Data json.RawMessage `json:"data,omitempty"`
}

// Call is one vendor method invocation, or a postMessage for iframe vendors
// (Method is then the message type and Args[0] its data).
type Call struct {
	Method string `json:"method"`
	Args   []any  `json:"args,omitempty"`
}

// ErrUnknownEvent is wrapped by a translator's decode error for an event
// name the seed does not document. The bridge logs and counts it; it never
// ends the session.
var ErrUnknownEvent = errors.New("unknown vendor event")

// ErrMalformed is wrapped for a documented event whose payload cannot be
// read.
var ErrMalformed = errors.New("malformed vendor event")

// ErrNoMethod is wrapped by a translator's encode error for a command the
// vendor has no method for.
var ErrNoMethod = errors.New("vendor has no method for this command")

// Unknown returns the error for an undocumented event name.
func Unknown(vendor, name string) error {
	return fmt.Errorf("%s: %q: %w", vendor, name, ErrUnknownEvent)
}

// Malformed returns the error for a payload that cannot be read.
func Malformed(vendor, name string, err error) error {
	return fmt.Errorf("%s: %q: %w: %v", vendor, name, ErrMalformed, err)
}

// NoMethod returns the error for a command the vendor cannot carry.
func NoMethod(vendor, verb string) error {
	return fmt.Errorf("%s: %s: %w", vendor, verb, ErrNoMethod)
}

// Unmarshal reads m.Data into v; absent or null data leaves v unchanged.
func Unmarshal(vendor string, m Msg, v any) error {
	if len(m.Data) == 0 || string(m.Data) == "null" {
		return nil
	}
	if err := json.Unmarshal(m.Data, v); err != nil {
		return Malformed(vendor, m.Event, err)
	}
	return nil
}

// Counters counts what a bridge could not translate. Safe for concurrent
// use.
type Counters struct {
	Unknown   atomic.Int64
	Malformed atomic.Int64
}

// Count classifies a decode error into c and reports whether it was one of
// the two counted kinds.
func (c *Counters) Count(err error) bool {
	switch {
	case errors.Is(err, ErrUnknownEvent):
		c.Unknown.Add(1)
	case errors.Is(err, ErrMalformed):
		c.Malformed.Add(1)
	default:
		return false
	}
	return true
}
