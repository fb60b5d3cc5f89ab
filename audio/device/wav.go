package device

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/agentty/agentty/audio"
)

// ReadWAV reads a 16-bit PCM WAV file and returns its samples downmixed to
// mono, and its sample rate.
func ReadWAV(path string) ([]int16, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("device: read wav: %w", err)
	}
	defer f.Close()
	pcm, rate, err := DecodeWAV(bufio.NewReader(f))
	if err != nil {
		return nil, 0, fmt.Errorf("device: read wav %s: %w", path, err)
	}
	return pcm, rate, nil
}

// maxFmtChunk bounds a fmt chunk: WAVE_FORMAT_EXTENSIBLE's is 40 bytes.
const maxFmtChunk = 1024

// DecodeWAV parses a RIFF/WAVE stream of 16-bit PCM (1 or 2 channels).
func DecodeWAV(r io.Reader) ([]int16, int, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, 0, err
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a RIFF/WAVE file")
	}
	var channels, bits, format uint16
	var rate uint32
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, 0, fmt.Errorf("no data chunk: %w", err)
		}
		size := binary.LittleEndian.Uint32(ch[4:])
		// A chunk is padded to an even length; in 64 bits, where 0xFFFFFFFF
		// plus its pad byte does not wrap to 0.
		padded := int64(size) + int64(size%2)
		switch string(ch[0:4]) {
		case "fmt ":
			if size < 16 || size > maxFmtChunk {
				return nil, 0, fmt.Errorf("bad fmt chunk size %d", size)
			}
			b := make([]byte, padded)
			if _, err := io.ReadFull(r, b); err != nil {
				return nil, 0, fmt.Errorf("short fmt chunk: %w", err)
			}
			format = binary.LittleEndian.Uint16(b[0:])
			channels = binary.LittleEndian.Uint16(b[2:])
			rate = binary.LittleEndian.Uint32(b[4:])
			bits = binary.LittleEndian.Uint16(b[14:])
		case "data":
			if (format != 1 && format != 0xFFFE) || bits != 16 || channels < 1 || channels > 2 {
				return nil, 0, fmt.Errorf("unsupported wav: format %d, %d bits, %d channels", format, bits, channels)
			}
			// espeak-ng writes 0x7fffffff as the size when streaming.
			b, err := io.ReadAll(io.LimitReader(r, int64(size)))
			if err != nil {
				return nil, 0, err
			}
			n := len(b) / 2 / int(channels)
			pcm := make([]int16, n)
			for i := range pcm {
				if channels == 1 {
					pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
				} else {
					l := int32(int16(binary.LittleEndian.Uint16(b[4*i:])))
					rr := int32(int16(binary.LittleEndian.Uint16(b[4*i+2:])))
					pcm[i] = int16((l + rr) / 2)
				}
			}
			return pcm, int(rate), nil
		default:
			if _, err := io.CopyN(io.Discard, r, padded); err != nil {
				return nil, 0, err
			}
		}
	}
}

// WriteWAV writes mono 16-bit PCM at rate to path.
func WriteWAV(path string, pcm []int16, rate int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("device: write wav: %w", err)
	}
	w := bufio.NewWriter(f)
	writeHeader(w, rate, len(pcm))
	binary.Write(w, binary.LittleEndian, pcm)
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("device: write wav %s: %w", path, err)
	}
	return f.Close()
}

func writeHeader(w io.Writer, rate, samples int) {
	var h [44]byte
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+2*samples))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], 1)
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(2*rate))
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(2*samples))
	w.Write(h[:])
}

// WAV is a device whose microphone plays samples (from a WAV file or a
// slice) and whose speaker records into memory, written to a WAV file on
// Close when OutPath is set. After the input ends ReadFrame returns io.EOF,
// or silence when Config.PadSilence is set.
type WAV struct {
	cfg    WAVConfig
	in     []int16
	pos    int
	rp, wp Pacer
	mu     sync.Mutex // guards out
	out    []int16
	closed atomic.Bool
	read   atomic.Uint64
	wrote  atomic.Uint64
}

// WAVConfig describes a WAV device.
type WAVConfig struct {
	InPath     string  // microphone WAV (any rate, resampled to 48 kHz); empty for silence
	In         []int16 // or samples at 48 kHz, used when InPath is empty
	OutPath    string  // speaker WAV written on Close; empty keeps it in memory only
	PadSilence bool    // after the input ends, capture silence instead of io.EOF
	Paced      bool    // run at real time instead of as fast as called
}

// LoadWAV reads a 16-bit PCM WAV file of any rate as mono at SampleRate.
func LoadWAV(path string) ([]int16, error) {
	pcm, rate, err := ReadWAV(path)
	if err != nil {
		return nil, err
	}
	return resampleAll(pcm, rate)
}

// NewWAV opens a WAV device.
func NewWAV(cfg WAVConfig) (*WAV, error) {
	in := cfg.In
	if cfg.InPath != "" {
		var err error
		if in, err = LoadWAV(cfg.InPath); err != nil {
			return nil, err
		}
	}
	return &WAV{cfg: cfg, in: in, rp: Pacer{On: cfg.Paced}, wp: Pacer{On: cfg.Paced}}, nil
}

func resampleAll(pcm []int16, rate int) ([]int16, error) {
	if rate == SampleRate {
		return pcm, nil
	}
	rs, err := audio.NewResampler(rate, SampleRate)
	if err != nil {
		return nil, fmt.Errorf("device: wav: %w", err)
	}
	// Flush the filter with its delay worth of silence, then trim it.
	tail := make([]int16, 2*rs.Delay()*rate/SampleRate+rate/100)
	out := make([]int16, rs.OutLen(len(pcm)+len(tail))+2)
	n := rs.Process(pcm, out)
	n += rs.Process(tail, out[n:])
	d := min(rs.Delay(), n)
	return out[d:min(n, d+len(pcm)*SampleRate/rate)], nil
}

// Name implements Device.
func (w *WAV) Name() string { return "wav" }

// ReadFrame implements Source.
func (w *WAV) ReadFrame(ctx context.Context, frame []int16) error {
	if w.closed.Load() {
		return ErrClosed
	}
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if w.pos >= len(w.in) && !w.cfg.PadSilence {
		return io.EOF
	}
	if err := w.rp.Wait(ctx); err != nil {
		return err
	}
	n := copy(frame, w.in[min(w.pos, len(w.in)):])
	clear(frame[n:])
	w.pos += FrameSamples
	w.read.Add(1)
	return nil
}

// WriteFrame implements Sink.
func (w *WAV) WriteFrame(ctx context.Context, frame []int16) error {
	if w.closed.Load() {
		return ErrClosed
	}
	if len(frame) != FrameSamples {
		return ErrFrameSize
	}
	if err := w.wp.Wait(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	w.out = append(w.out, frame...)
	w.mu.Unlock()
	w.wrote.Add(1)
	return nil
}

// Recorded returns a copy of everything written so far.
func (w *WAV) Recorded() []int16 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]int16(nil), w.out...)
}

// Stats implements Device.
func (w *WAV) Stats() Stats { return Stats{Captured: w.read.Load(), Played: w.wrote.Load()} }

// Close implements Device; it writes OutPath.
func (w *WAV) Close() error {
	if w.closed.Swap(true) {
		return nil
	}
	if w.cfg.OutPath == "" {
		return nil
	}
	return WriteWAV(w.cfg.OutPath, w.Recorded(), SampleRate)
}
