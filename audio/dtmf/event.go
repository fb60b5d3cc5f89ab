// Package dtmf carries DTMF digits as RFC 4733 telephone-events (encode,
// decode, the packets of one digit, a de-duplicating receiver) and in band
// (a Goertzel detector and a dual-tone generator).
package dtmf

import (
	"errors"
	"fmt"
)

// ErrShort is returned by Unmarshal for a payload under 4 bytes.
var ErrShort = errors.New("dtmf: telephone-event payload shorter than 4 bytes")

// ErrDigit is returned for a character that is not a DTMF digit.
var ErrDigit = errors.New("dtmf: not a dtmf digit")

// Event is one RFC 4733 telephone-event payload (section 2.3).
type Event struct {
	Code     uint8  // 0-9, 10 '*', 11 '#', 12-15 'A'-'D'; other codes are non-DTMF events
	End      bool   // E bit: the last packets of the event
	Volume   uint8  // power level in -dBm0, 0..63
	Duration uint16 // in RTP clock units since the event's timestamp
}

// PayloadLen is the size of one telephone-event payload.
const PayloadLen = 4

// Marshal writes e into b (at least 4 bytes) and returns 4.
func (e Event) Marshal(b []byte) (int, error) {
	if len(b) < PayloadLen {
		return 0, fmt.Errorf("dtmf: marshal into %d bytes: %w", len(b), ErrShort)
	}
	b[0] = e.Code
	b[1] = e.Volume & 0x3F
	if e.End {
		b[1] |= 0x80
	}
	b[2] = byte(e.Duration >> 8)
	b[3] = byte(e.Duration)
	return PayloadLen, nil
}

// Unmarshal parses a telephone-event payload. Extra bytes (further events
// of a multi-event payload) are ignored; the R bit is ignored as the RFC
// says.
func Unmarshal(b []byte) (Event, error) {
	if len(b) < PayloadLen {
		return Event{}, ErrShort
	}
	return Event{
		Code:     b[0],
		End:      b[1]&0x80 != 0,
		Volume:   b[1] & 0x3F,
		Duration: uint16(b[2])<<8 | uint16(b[3]),
	}, nil
}

const digits = "0123456789*#ABCD"

// Code returns the event code of a DTMF digit ('0'-'9', '*', '#', 'A'-'D',
// lower case accepted).
func Code(digit rune) (uint8, error) {
	if 'a' <= digit && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for i, d := range digits {
		if d == digit {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrDigit, digit)
}

// Digit returns the digit of an event code, ok false for non-DTMF codes.
func Digit(code uint8) (rune, bool) {
	if int(code) < len(digits) {
		return rune(digits[code]), true
	}
	return 0, false
}

// Packets returns the payloads for one digit lasting duration clock units,
// updated every step units (a frame): the first is the event's start
// (send it with the RTP marker bit), the last three are the identical end
// packets RFC 4733 section 2.5.1.4 asks to repeat. All share one RTP
// timestamp, the event's start.
func Packets(code uint8, volume uint8, duration, step uint16) []Event {
	if step == 0 {
		step = 160
	}
	var evs []Event
	for d := step; d < duration; d += step {
		evs = append(evs, Event{Code: code, Volume: volume, Duration: d})
	}
	for range 3 {
		evs = append(evs, Event{Code: code, Volume: volume, Duration: duration, End: true})
	}
	return evs
}
