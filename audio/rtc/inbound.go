package rtc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/dtmf"
	"github.com/agentty/agentty/audio/jitter"
	"github.com/agentty/agentty/audio/quality"
)

// InboundConfig configures an Inbound.
type InboundConfig struct {
	// Sink plays the decoded 48 kHz frames (a device, a WAV recorder, a
	// mixer input). Nil discards.
	Sink device.Sink
	// Pace runs playout on an internal 20 ms ticker; set it for sinks that
	// return at once (WAV, null unpaced); leave it off for a sound card.
	Pace bool
	// Meter is optional; the player creates its own when nil.
	Meter *audio.Meter
	// Quality is optional; the player creates its own when nil.
	Quality *quality.Monitor
	// OnDigit gets each received DTMF digit once, on the RTP reading
	// goroutine: hand it over (a non-blocking send, a tea.Msg), do not block.
	OnDigit func(rune)
	// OnError gets non-fatal errors, on the goroutine that met them.
	OnError func(error)
	// InbandDTMF also detects DTMF tones in the decoded audio (Goertzel) and
	// reports them through OnDigit, on the playout goroutine: for far ends
	// that send tones in band instead of RFC 4733 events. Leave it off when
	// both are possible, or digits come twice.
	InbandDTMF bool
	// Jitter tunes the jitter buffer (ClockRate is set from the codec).
	Jitter jitter.Config
	// Now is the clock (default time.Now), injectable for tests.
	Now func() time.Time
}

// Inbound plays one remote audio track: a reader goroutine feeds RTP into
// the jitter buffer (telephone-events go to OnDigit), a playout goroutine
// pops, decodes or conceals and writes to the Sink. Close waits for both.
type Inbound struct {
	cfg      InboundConfig
	track    *webrtc.TrackRemote
	receiver *webrtc.RTPReceiver
	codecs   map[uint8]webrtc.RTPCodecParameters
	meter    *audio.Meter
	quality  *quality.Monitor

	mu    sync.Mutex // guards jb, dec, pt
	jb    *jitter.Buffer
	dec   *audio.FrameDecoder
	pt    uint8
	codec string

	played, concealed, recovered, decodeErrs, trimmed atomic.Uint64

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewInbound starts playing track (from OnTrack) received by receiver.
func NewInbound(track *webrtc.TrackRemote, receiver *webrtc.RTPReceiver, cfg InboundConfig) (*Inbound, error) {
	if track == nil {
		return nil, errors.New("rtc: inbound: nil track")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sink == nil {
		cfg.Pace = true // nothing else would pace playout
	}
	in := &Inbound{cfg: cfg, track: track, receiver: receiver, meter: cfg.Meter, quality: cfg.Quality,
		codecs: map[uint8]webrtc.RTPCodecParameters{}}
	if in.meter == nil {
		in.meter = &audio.Meter{}
	}
	if receiver != nil {
		for _, c := range receiver.GetParameters().Codecs {
			in.codecs[uint8(c.PayloadType)] = c
		}
	}
	c := track.Codec()
	in.codecs[uint8(c.PayloadType)] = c
	if in.quality == nil {
		in.quality = quality.NewMonitor(CodecName(c.MimeType), int(c.ClockRate))
	}
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	in.wg.Add(2)
	go in.readLoop(ctx)
	go in.playLoop(ctx)
	if receiver != nil {
		in.wg.Add(1)
		go in.rtcpLoop(ctx)
	}
	return in, nil
}

// Meter returns the level of what is played.
func (in *Inbound) Meter() *audio.Meter { return in.meter }

// Quality returns the stream's quality monitor.
func (in *Inbound) Quality() *quality.Monitor { return in.quality }

// Codec returns the name of the codec being decoded ("" before media).
func (in *Inbound) Codec() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.codec
}

// Stats are the player's counters.
type Stats struct {
	Played, Concealed, DecodeErrors uint64
	Recovered                       uint64 // lost frames rebuilt from Opus in-band FEC
	Trimmed                         uint64 // frames played in part to cut delay the jitter did not need
	Jitter                          jitter.Stats
}

// Stats returns the counters.
func (in *Inbound) Stats() Stats {
	s := Stats{Played: in.played.Load(), Concealed: in.concealed.Load(), DecodeErrors: in.decodeErrs.Load(), Recovered: in.recovered.Load(), Trimmed: in.trimmed.Load()}
	in.mu.Lock()
	if in.jb != nil {
		s.Jitter = in.jb.Stats()
	}
	in.mu.Unlock()
	return s
}

// Close stops both goroutines and waits for them.
func (in *Inbound) Close() error {
	in.cancel()
	err := in.track.SetReadDeadline(time.Now())
	if in.receiver != nil {
		err = errors.Join(err, in.receiver.SetReadDeadline(time.Now()))
	}
	in.wg.Wait()
	return err
}

func (in *Inbound) report(err error) {
	if in.cfg.OnError != nil {
		in.cfg.OnError(err)
	}
}

func (in *Inbound) readLoop(ctx context.Context) {
	defer in.wg.Done()
	buf := make([]byte, 1500)
	var pkt rtp.Packet
	var rx dtmf.Receiver
	var mt MediaTime
	for ctx.Err() == nil {
		n, _, err := in.track.Read(buf)
		if err != nil {
			return
		}
		if err := pkt.Unmarshal(buf[:n]); err != nil {
			in.report(fmt.Errorf("rtc: inbound rtp: %w", err))
			continue
		}
		now := in.cfg.Now()
		c, ok := in.codecs[pkt.PayloadType]
		if !ok {
			continue
		}
		tel := isTelEvent(c.MimeType)
		eventTS := pkt.Timestamp
		if tel {
			// Every packet of an event carries the event's start timestamp:
			// time it as the media frame its slot replaces, so that neither
			// the jitter estimate nor the jitter buffer sees false delay.
			pkt.Timestamp = mt.SlotTS(pkt.SequenceNumber, c.ClockRate)
		} else {
			mt.Media(pkt.SequenceNumber, pkt.Timestamp)
		}
		in.quality.OnRTP(pkt.SequenceNumber, pkt.Timestamp, now)
		if tel {
			if d, ok, err := rx.Feed(eventTS, pkt.Payload); err == nil && ok && in.cfg.OnDigit != nil {
				in.cfg.OnDigit(d)
			}
			// Keep the slot in the jitter buffer so it is not counted as
			// lost: an empty payload plays as silence.
			pkt.Payload = nil
		} else if err := in.ensureDecoder(c); err != nil {
			in.report(err)
			continue
		}
		in.mu.Lock()
		jb := in.jb
		in.mu.Unlock()
		if jb != nil {
			jb.Push(jitter.Packet{Seq: pkt.SequenceNumber, Timestamp: pkt.Timestamp, Payload: pkt.Payload}, now)
		}
	}
}

// ensureDecoder (re)creates the decoder and jitter buffer for codec c.
func (in *Inbound) ensureDecoder(c webrtc.RTPCodecParameters) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.dec != nil && in.pt == uint8(c.PayloadType) {
		return nil
	}
	name := CodecName(c.MimeType)
	codec, err := audio.NewCodec(name)
	if err != nil {
		return fmt.Errorf("rtc: inbound: %w", err)
	}
	dec, err := audio.NewFrameDecoder(codec)
	if err != nil {
		return fmt.Errorf("rtc: inbound: %w", err)
	}
	jc := in.cfg.Jitter
	jc.ClockRate = int(c.ClockRate)
	_, partial := in.cfg.Sink.(device.PartialSink)
	jc.PartialFrames = partial && !in.cfg.Pace // a ticker's pops would not move
	in.jb, in.dec, in.pt, in.codec = jitter.New(jc), dec, uint8(c.PayloadType), name
	in.quality.SetCodec(name, int(c.ClockRate))
	return nil
}

// rtcpLoop drains the receiver's RTCP: pion's interceptors only see the
// far end's sender reports (which our receiver reports must echo for RTT)
// when somebody reads.
func (in *Inbound) rtcpLoop(ctx context.Context) {
	defer in.wg.Done()
	for ctx.Err() == nil {
		if _, _, err := in.receiver.ReadRTCP(); err != nil {
			return
		}
	}
}

func (in *Inbound) playLoop(ctx context.Context) {
	defer in.wg.Done()
	var tick <-chan time.Time
	if in.cfg.Pace {
		t := time.NewTicker(audio.FrameDuration)
		defer t.Stop()
		tick = t.C
	}
	frame := make([]int16, audio.FrameSamples)
	det := dtmf.Detector{Rate: audio.SampleRate}
	failing := false
	for {
		if tick != nil {
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		} else if ctx.Err() != nil {
			return
		}
		// A sound card says when it has room: take the frame from the
		// jitter buffer then, not a frame period before.
		if w, ok := in.cfg.Sink.(device.Waiter); ok && tick == nil {
			if err := w.WaitWritable(ctx); err != nil && ctx.Err() != nil {
				return
			}
		}
		out := in.nextFrame(frame)
		in.meter.Update(out)
		if in.cfg.InbandDTMF && in.cfg.OnDigit != nil {
			if d, ok := det.Frame(frame); ok {
				in.cfg.OnDigit(d)
			}
		}
		if in.cfg.Sink == nil {
			continue
		}
		var err error
		if len(out) < len(frame) {
			err = in.cfg.Sink.(device.PartialSink).WriteSamples(ctx, out)
		} else {
			err = in.cfg.Sink.WriteFrame(ctx, frame)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// Report once per run of failures; when nothing else paces
			// playout, wait a frame so a dead sink cannot spin.
			if !failing {
				in.report(fmt.Errorf("rtc: inbound sink: %w", err))
			}
			failing = true
			if tick == nil && !waitFrame(ctx) {
				return
			}
		} else {
			failing = false
		}
	}
}

// nextFrame pops the jitter buffer and decodes or conceals one frame into
// frame. It returns what to play: frame, or its first part when the jitter
// buffer offered delay to spare and the sink can play part of a frame.
func (in *Inbound) nextFrame(frame []int16) []int16 {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.jb == nil {
		clear(frame)
		return frame
	}
	f := in.jb.Pop(in.cfg.Now())
	in.quality.SetPlayoutDelay(time.Duration(in.jb.Stats().Depth) * audio.FrameDuration)
	played, err := DecodeFrame(in.dec, f, frame)
	switch played {
	case PlayedDecoded:
		if err != nil {
			in.decodeErrs.Add(1)
			break
		}
		in.played.Add(1)
		if f.Trim > 0 { // only with a PartialSink
			in.trimmed.Add(1)
			return audio.Shorten(frame, int(f.Trim*audio.SampleRate/time.Second))
		}
	case PlayedRecovered:
		in.recovered.Add(1)
	case PlayedConcealed:
		in.concealed.Add(1)
	}
	return frame
}
