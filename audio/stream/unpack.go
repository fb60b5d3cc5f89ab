package stream

import (
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/jitter"
)

// Unpacker turns what a jitter buffer pops, one packet at a time and of
// whatever duration the far end packs (10, 20, 30 ms ...), into the audio
// a consumer plays: a sound card takes each packet as it is decoded (Take),
// a frame consumer (the centre's mixer, a WAV file) takes exact frames and
// leaves the rest of a packet for the next (Fill). The phone's player and
// the centre's mixer both play this way. Not safe for concurrent use.
type Unpacker struct {
	dec        *audio.FrameDecoder
	pcm        []int16 // decoded and not yet taken: pcm[head:tail]
	head, tail int
	// last is the duration of the last packet decoded, in samples: what a
	// loss or an underrun is concealed as (one frame before any packet).
	last int
	// owed is delay still to give back, in samples: audio.Shorten keeps
	// most of a short packet (it cuts at most 2.5 ms of a 10 ms one), so a
	// larger trim is cut from several packets in turn. cut is what the
	// last Unpack cut.
	owed, cut int
}

// NewUnpacker returns an Unpacker decoding with dec (nil plays silence).
func NewUnpacker(dec *audio.FrameDecoder) *Unpacker {
	return &Unpacker{dec: dec, pcm: make([]int16, 2*audio.MaxPacketSamples), last: audio.FrameSamples}
}

// Pending is how many decoded samples wait to be taken.
func (u *Unpacker) Pending() int { return u.tail - u.head }

// PacketDuration is the duration of the last packet decoded (one frame
// before the first).
func (u *Unpacker) PacketDuration() time.Duration {
	return time.Duration(u.last) * time.Second / audio.SampleRate
}

// Cut asks for d of delay to be given back: cut from the packets decoded
// next (an underrun forgets it).
func (u *Unpacker) Cut(d time.Duration) {
	u.owed += int(d * audio.SampleRate / time.Second)
}

// LastCut is how much the last Unpack cut from its packet.
func (u *Unpacker) LastCut() time.Duration {
	return time.Duration(u.cut) * time.Second / audio.SampleRate
}

// Unpack decodes one popped frame and queues its audio: the packet
// decoded, a loss rebuilt from in-band FEC or concealed, an underrun
// concealed (each as long as the last packet), silence while waiting or
// for an empty payload (a telephone-event's slot). A Trim the jitter buffer
// offered, and what Cut asked for, are cut from the packets' audio as
// they allow. On a decoder error the packet plays as silence and the error
// is returned with what was attempted.
func (u *Unpacker) Unpack(f jitter.Frame) (Played, error) {
	if u.head == u.tail {
		u.head, u.tail = 0, 0
	} else if len(u.pcm)-u.tail < audio.MaxPacketSamples {
		u.tail = copy(u.pcm, u.pcm[u.head:u.tail])
		u.head = 0
	}
	room := u.pcm[u.tail : u.tail+audio.MaxPacketSamples]
	want := room[:u.last]
	var (
		n   int
		err error
	)
	out := PlayedSilence
	if u.dec != nil {
		switch f.Kind {
		case jitter.KindPacket:
			if len(f.Payload) > 0 {
				out = PlayedDecoded
				if n, err = u.dec.Decode(f.Payload, room); err == nil && n > 0 {
					u.last = n
				}
			}
		case jitter.KindLost:
			var fec bool
			n, fec, err = u.dec.Recover(f.Next, want)
			out = PlayedConcealed
			if fec {
				out = PlayedRecovered
			}
		case jitter.KindUnderrun:
			n, err = u.dec.Conceal(want)
			out = PlayedConcealed
		}
	}
	if out == PlayedSilence || err != nil || n <= 0 {
		n = len(want)
		clear(room[:n])
	}
	u.Cut(f.Trim)
	u.cut = 0
	switch {
	case f.Kind == jitter.KindUnderrun:
		u.owed = 0 // late: no delay to spare
	case u.owed > 0 && out == PlayedDecoded && err == nil:
		m := len(audio.Shorten(room[:n], u.owed))
		u.cut, n = n-m, m
		u.owed = max(0, u.owed-u.cut)
	}
	u.tail += n
	return out, err
}

// Take returns up to max decoded samples, valid until the next Unpack.
func (u *Unpacker) Take(max int) []int16 {
	n := min(max, u.tail-u.head)
	out := u.pcm[u.head : u.head+n]
	u.head += n
	return out
}

// Fill copies exactly len(frame) samples into frame, calling more while
// fewer are queued; more pops the next packet and Unpacks it (each call
// must queue some audio, as Unpack always does).
func (u *Unpacker) Fill(frame []int16, more func()) {
	for u.Pending() < len(frame) {
		more()
	}
	copy(frame, u.Take(len(frame)))
}
