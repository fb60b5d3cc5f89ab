package dtmf

// Receiver turns a stream of telephone-event packets into digits, once per
// event: the start, the updates and the repeated end packets of one event
// share an RTP timestamp, so a digit is yielded on the first packet seen
// with a new timestamp (whichever survived loss) and never again for it.
// Not safe for concurrent use: feed it from the one goroutine reading RTP.
type Receiver struct {
	seen [16]uint32
	n    int
}

// Feed handles one telephone-event RTP packet and returns the digit when the
// packet starts a new event. Non-DTMF events are ignored.
func (r *Receiver) Feed(timestamp uint32, payload []byte) (rune, bool, error) {
	e, err := Unmarshal(payload)
	if err != nil {
		return 0, false, err
	}
	d, ok := Digit(e.Code)
	if !ok {
		return 0, false, nil
	}
	for i := 0; i < min(r.n, len(r.seen)); i++ {
		if r.seen[i] == timestamp {
			return 0, false, nil
		}
	}
	r.seen[r.n%len(r.seen)] = timestamp
	r.n++
	return d, true, nil
}
