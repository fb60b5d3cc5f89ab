package media

import (
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
)

// music is the relay's music on hold: one timeline for every listener, in
// 20 ms slots of the wall clock, each slot's frame made once and encoded
// once per codec however many callers hear it. A centre with hundreds of
// callers queued made and encoded the music once per caller (a sine per
// sample at 48 kHz, a resampler and an encoder for each): most of its CPU
// under a burst of calls. A caller hears the music from wherever the
// timeline is, as from a radio. Safe for concurrent use by the mixers.
type music struct {
	complexity int // of Opus encoders (Config.OpusComplexity)

	mu   sync.Mutex
	moh  audio.MusicOnHold
	slot int64 // the slot pcm holds; 0 before the first
	pcm  []int16
	encs map[string]*musicEnc // by codec name
}

// musicEnc is the music's encoder for one codec and its latest slot.
type musicEnc struct {
	enc     *audio.FrameEncoder
	codec   audio.Codec
	slot    int64
	payload []byte
	n       int
	err     error
}

// musicSlot is the slot of the music timeline at now.
func musicSlot(now time.Time) int64 { return now.UnixNano()/int64(audio.FrameDuration) + 1 }

// frameLocked advances the timeline to slot and returns its frame. It
// moves one frame at a time, however far slot is ahead (the music goes
// on where it stopped), and never back: a mixer a slot behind another
// gets the newest frame. m.mu held.
func (m *music) frameLocked(slot int64) []int16 {
	if m.pcm == nil {
		m.pcm = make([]int16, audio.FrameSamples)
	}
	if slot > m.slot {
		m.slot = slot
		m.moh.Fill(m.pcm)
	}
	return m.pcm
}

// frame copies slot's music into out (audio.FrameSamples).
func (m *music) frame(slot int64, out []int16) {
	m.mu.Lock()
	defer m.mu.Unlock()
	copy(out, m.frameLocked(slot))
}

// encoded copies slot's music encoded with codec name into out and
// returns its length; false when the codec cannot encode.
func (m *music) encoded(slot int64, name string, out []byte) (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.encs[name]
	if e == nil {
		c, err := newRelayCodec(name, m.complexity)
		if err != nil {
			return 0, false
		}
		enc, err := audio.NewFrameEncoder(c)
		if err != nil {
			c.Close()
			return 0, false
		}
		if m.encs == nil {
			m.encs = map[string]*musicEnc{}
		}
		e = &musicEnc{enc: enc, codec: c, payload: make([]byte, audio.MaxPayload)}
		m.encs[name] = e
	}
	pcm := m.frameLocked(slot)
	if e.slot != m.slot {
		e.slot = m.slot
		e.n, e.err = e.enc.Encode(pcm, e.payload)
	}
	if e.err != nil {
		return 0, false
	}
	return copy(out, e.payload[:e.n]), true
}

// close releases the encoders.
func (m *music) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.encs {
		e.codec.Close()
	}
	m.encs = nil
}
