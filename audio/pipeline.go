package audio

import "fmt"

// FrameEncoder encodes 20 ms device frames (FrameSamples at SampleRate) with
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

// FrameDecoder decodes payloads into 20 ms device frames, resampling from the
// codec's rate, and conceals lost frames. Not safe for concurrent use.
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
	// Room for a payload longer than 20 ms (up to 120 ms of Opus).
	return &FrameDecoder{c: c, rs: rs, tmp: make([]int16, 6*c.FrameSamples())}, nil
}

// Codec returns the wrapped codec.
func (d *FrameDecoder) Codec() Codec { return d.c }

// Decode decodes one payload into frame (FrameSamples long). A payload
// carrying other than 20 ms is truncated or padded with concealment.
func (d *FrameDecoder) Decode(payload []byte, frame []int16) error {
	n, err := d.c.Decode(payload, d.tmp)
	if err != nil {
		return err
	}
	fs := d.c.FrameSamples()
	if n < fs {
		if _, err := d.c.Conceal(d.tmp[n:fs]); err != nil {
			return err
		}
	}
	d.rs.Process(d.tmp[:fs], frame)
	return nil
}

// Conceal writes one concealed frame.
func (d *FrameDecoder) Conceal(frame []int16) error {
	fs := d.c.FrameSamples()
	if _, err := d.c.Conceal(d.tmp[:fs]); err != nil {
		return err
	}
	d.rs.Process(d.tmp[:fs], frame)
	return nil
}

// Recover writes one frame for a lost packet: rebuilt from next's in-band
// FEC when the codec has it and next is known, else concealed. It reports
// whether FEC was used.
func (d *FrameDecoder) Recover(next []byte, frame []int16) (bool, error) {
	fec, ok := d.c.(FECDecoder)
	if !ok || len(next) == 0 {
		return false, d.Conceal(frame)
	}
	fs := d.c.FrameSamples()
	if _, err := fec.DecodeFEC(next, d.tmp[:fs]); err != nil {
		return false, d.Conceal(frame)
	}
	d.rs.Process(d.tmp[:fs], frame)
	return true, nil
}
