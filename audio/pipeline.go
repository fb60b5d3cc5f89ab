package audio

import "fmt"

// FrameEncoder encodes device frames (FrameSamples at SampleRate) with
// a Codec, resampling to the codec's rate first. Not safe for concurrent use.
type FrameEncoder struct {
	c   Codec
	rs  *Resampler
	tmp []int16
}

// NewFrameEncoder wraps c.
func NewFrameEncoder(c Codec) (*FrameEncoder, error) {
	rs, err := NewResampler(SampleRate, c.SampleRate())
	if err != nil {
		return nil, fmt.Errorf("audio: %s encoder: %w", c.Name(), err)
	}
	return &FrameEncoder{c: c, rs: rs, tmp: make([]int16, c.FrameSamples())}, nil
}

// Codec returns the wrapped codec.
func (e *FrameEncoder) Codec() Codec { return e.c }

// Encode encodes one device frame into out and returns the payload length.
func (e *FrameEncoder) Encode(frame []int16, out []byte) (int, error) {
	if len(frame) != FrameSamples {
		return 0, fmt.Errorf("audio: %s encode: frame of %d samples, want %d", e.c.Name(), len(frame), FrameSamples)
	}
	e.rs.Process(frame, e.tmp)
	return e.c.Encode(e.tmp, out)
}

// MaxPacketSamples is the most audio one payload carries, at SampleRate:
// 120 ms, Opus's longest packet (G.711 peers send 10 to 60 ms).
const MaxPacketSamples = 120 * SampleRate / 1000

// FrameDecoder decodes payloads of any duration the far end packs (10,
// 20, 30 ms ...) into 48 kHz device samples, resampling from the codec's
// rate, and conceals lost packets. Not safe for concurrent use.
type FrameDecoder struct {
	c   Codec
	rs  *Resampler
	tmp []int16
}

// NewFrameDecoder wraps c.
func NewFrameDecoder(c Codec) (*FrameDecoder, error) {
	rs, err := NewResampler(c.SampleRate(), SampleRate)
	if err != nil {
		return nil, fmt.Errorf("audio: %s decoder: %w", c.Name(), err)
	}
	return &FrameDecoder{c: c, rs: rs, tmp: make([]int16, MaxPacketSamples*c.SampleRate()/SampleRate)}, nil
}

// Codec returns the wrapped codec.
func (d *FrameDecoder) Codec() Codec { return d.c }

// Decode decodes one payload into pcm and returns the number of samples
// written: the payload's whole duration, so pcm should hold
// MaxPacketSamples (what does not fit is dropped).
func (d *FrameDecoder) Decode(payload []byte, pcm []int16) (int, error) {
	n, err := d.c.Decode(payload, d.tmp)
	if err != nil {
		return 0, err
	}
	return d.rs.Process(d.tmp[:n], pcm), nil
}

// Conceal fills pcm (at most MaxPacketSamples) with concealment and
// returns the number of samples written.
func (d *FrameDecoder) Conceal(pcm []int16) (int, error) {
	want := min(len(pcm), MaxPacketSamples) * d.c.SampleRate() / SampleRate
	done := 0
	for done < want {
		k, err := d.c.Conceal(d.tmp[done:want])
		if err != nil {
			return 0, err
		}
		if k <= 0 {
			break
		}
		done += k
	}
	return d.rs.Process(d.tmp[:done], pcm), nil
}

// Recover fills pcm for a lost packet: rebuilt from next's in-band FEC
// when the codec has it and next is known, else concealed. It returns the
// samples written and whether FEC was used.
func (d *FrameDecoder) Recover(next []byte, pcm []int16) (int, bool, error) {
	fec, ok := d.c.(FECDecoder)
	if !ok || len(next) == 0 {
		n, err := d.Conceal(pcm)
		return n, false, err
	}
	want := min(len(pcm), MaxPacketSamples) * d.c.SampleRate() / SampleRate
	k, err := fec.DecodeFEC(next, d.tmp[:want])
	if err != nil || k <= 0 {
		n, err := d.Conceal(pcm)
		return n, false, err
	}
	return d.rs.Process(d.tmp[:k], pcm), true, nil
}
