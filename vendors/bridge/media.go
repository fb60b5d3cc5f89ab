package bridge

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"github.com/agentty/agentty/vendors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/stream"
	"github.com/agentty/agentty/session"
)

// Audio frames travel as binary WebSocket messages on the page's one
// connection, both ways (js/audio.js):
//
//	16 bytes the per-run secret | seq u16 BE | timestamp u32 BE (48 kHz) | 480 int16 LE (a 10 ms device frame)
//
// agentty's microphone goes to the page, where an AudioWorklet plays it
// into the stream getUserMedia answers with; what the call plays in the
// page comes back and is played on agentty's speaker. No WebRTC between
// agentty and the page.
const (
	frameHeader = 16 + 2 + 4
	frameBytes  = frameHeader + 2*device.FrameSamples
	// playQueue bounds the received frames waiting for the speaker (160 ms);
	// the oldest is dropped beyond it.
	playQueue = 16
	// prebuffer is how many frames the player waits for before it starts,
	// and again after it ran dry.
	prebuffer = 4
	// QualityEvery is how often a call with media reports call.quality.
	QualityEvery = time.Second
)

// MediaStats counts the audio frames through the page.
type MediaStats struct {
	Sent, Received, Played, Underruns, Dropped, Refused int64
}

// media runs a call's audio while the vendor has an answered or dialling
// call: the microphone to the page, the page's call audio to the speaker,
// levels and quality as the other backends report them.
type media struct {
	v    *Vendor
	open func() (device.Device, error)
	key  []byte

	mic, spk audio.Meter
	q        atomic.Pointer[quality.Monitor]
	frames   chan []int16
	stats    struct{ sent, received, played, underruns, dropped, refused atomic.Int64 }

	mu     sync.Mutex
	calls  map[string]bool
	cancel context.CancelFunc
	done   chan struct{}
}

func newMedia(v *Vendor, open func() (device.Device, error)) *media {
	return &media{v: v, open: open, frames: make(chan []int16, playQueue), calls: map[string]bool{}}
}

// observe starts media on a call's dialling or answer and stops it when
// the vendor has no call left. Reader goroutine only.
func (m *media) observe(e session.Event) {
	var id string
	var on bool
	switch c := e.(type) {
	case session.CallDialing:
		id, on = c.CallID, true
	case session.CallAnswered:
		id, on = c.CallID, true
	case session.CallEnded:
		id = c.CallID
	case session.CallFailed:
		id = c.CallID
	case session.CallRejected:
		id = c.CallID
	default:
		return
	}
	m.mu.Lock()
	if on {
		m.calls[id] = true
	} else if id == "" {
		clear(m.calls) // a vendor that names no call ended the one it had
	} else {
		delete(m.calls, id)
	}
	if len(m.calls) > 0 && m.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		m.cancel, m.done = cancel, make(chan struct{})
		q := quality.NewMonitor("L16", device.SampleRate)
		q.SetPlayoutDelay(prebuffer * device.FrameDuration)
		m.q.Store(q)
		go m.run(ctx, m.done)
	}
	stop := len(m.calls) == 0
	m.mu.Unlock()
	if stop {
		m.stop()
	}
}

// stop ends media (the last call's end, Close) and waits for it; it does
// not hold mu while waiting, as the reporter takes it.
func (m *media) stop() {
	m.mu.Lock()
	clear(m.calls)
	cancel, done := m.cancel, m.done
	m.cancel, m.done = nil, nil
	m.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	for {
		select {
		case <-m.frames:
		default:
			return
		}
	}
}

// openDevice opens the call's microphone and speaker from the options
// "mic", "speaker", "mic-wav" and "speaker-wav", as the other backends do;
// the null device stands in when there is no sound card, said once
// (media.mic).
func (v *Vendor) openDevice() (device.Device, error) {
	o := v.options
	d, err := stream.OpenDevice(stream.DeviceConfig{Mic: o["mic"], Speaker: o["speaker"], MicWAV: o["mic-wav"], SpeakerWAV: o["speaker-wav"]})
	if errors.Is(err, device.ErrNullFallback) {
		if !v.nullSaid.Swap(true) {
			v.log.Warn("bridge: no sound device", "vendor", v.spec.Name, "err", err)
			v.emit(session.MediaMic{Base: v.base(), Granted: false, Device: d.Name()})
		}
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	return device.LiveEdge(d), nil
}

func (m *media) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	dev, err := m.open()
	if err != nil {
		m.v.log.Error("bridge: no sound device", "vendor", m.v.spec.Name, "err", err)
		m.v.emit(session.MediaMic{Base: m.v.base(), Granted: false})
		return
	}
	defer dev.Close()
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); m.capture(ctx, dev) }()
	go func() { defer wg.Done(); m.play(ctx, dev) }()
	go func() { defer wg.Done(); m.report(ctx) }()
	wg.Wait()
}

// capture sends the microphone to the page, one frame per device frame.
func (m *media) capture(ctx context.Context, dev device.Device) {
	pcm := make([]int16, device.FrameSamples)
	var seq uint16
	var ts uint32
	for ctx.Err() == nil {
		if err := dev.ReadFrame(ctx, pcm); err != nil {
			if ctx.Err() == nil && !errors.Is(err, device.ErrStalled) {
				m.v.log.Warn("bridge: microphone", "err", err)
				return
			}
			continue
		}
		m.mic.Update(pcm)
		b := make([]byte, frameBytes)
		copy(b, m.key)
		binary.BigEndian.PutUint16(b[16:], seq)
		binary.BigEndian.PutUint32(b[18:], ts)
		for i, s := range pcm {
			binary.LittleEndian.PutUint16(b[frameHeader+2*i:], uint16(s))
		}
		seq++
		ts += device.FrameSamples
		m.v.mu.Lock()
		c := m.v.conn
		m.v.mu.Unlock()
		if c == nil || c.Write(ctx, websocket.MessageBinary, b) != nil {
			continue
		}
		m.stats.sent.Add(1)
	}
}

// received takes one frame from the page (reader goroutine): checked,
// counted for quality, queued for the speaker.
func (m *media) received(b []byte, now time.Time) {
	seq, ts, pcm, err := parseFrame(b, m.key)
	if err != nil {
		m.stats.refused.Add(1)
		m.v.refuse(err.Error())
		return
	}
	m.stats.received.Add(1)
	m.mu.Lock()
	running := m.cancel != nil
	m.mu.Unlock()
	if !running {
		m.stats.dropped.Add(1) // no call on agentty's side
		return
	}
	if q := m.q.Load(); q != nil {
		q.OnRTP(seq, ts, now)
	}
	for {
		select {
		case m.frames <- pcm:
			return
		default:
		}
		select {
		case <-m.frames:
			m.stats.dropped.Add(1)
		default:
		}
	}
}

// play writes the page's frames to the speaker; the device paces it. It
// waits for prebuffer frames at the start and after running dry, playing
// silence meanwhile.
func (m *media) play(ctx context.Context, dev device.Device) {
	silence := make([]int16, device.FrameSamples)
	filling := true
	for ctx.Err() == nil {
		if w, ok := dev.(device.Waiter); ok {
			if w.WaitWritable(ctx) != nil {
				return
			}
		}
		out := silence
		if filling && len(m.frames) >= prebuffer {
			filling = false
		}
		if !filling {
			select {
			case f := <-m.frames:
				out = f
				m.stats.played.Add(1)
			default:
				filling = true
				m.stats.underruns.Add(1)
			}
		}
		m.spk.Update(out)
		if err := dev.WriteFrame(ctx, out); err != nil {
			if ctx.Err() == nil {
				m.v.log.Warn("bridge: speaker", "err", err)
			}
			return
		}
	}
}

// report sends call.quality for each call with media every QualityEvery.
func (m *media) report(ctx context.Context) {
	t := time.NewTicker(QualityEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		q := m.q.Load()
		if q == nil || q.LastArrival().IsZero() {
			continue
		}
		r := stream.Report(q, "L16", quality.Thresholds{})
		m.mu.Lock()
		ids := make([]string, 0, len(m.calls))
		for id := range m.calls {
			ids = append(ids, id)
		}
		m.mu.Unlock()
		for _, id := range ids {
			m.v.emit(session.CallQuality{CallBase: session.CallBase{At: m.v.clock.Now(), CallID: id}, Quality: session.Quality{
				LossPct: 100 * r.Loss, JitterMS: float64(r.Jitter) / float64(time.Millisecond), MOS: r.MOS}})
		}
	}
}

// Levels implements vendors.Metered: the microphone and speaker peaks of
// the call audio through the page.
func (v *Vendor) Levels() (micDBFS, speakerDBFS float64, ok bool) {
	l := v.StreamLevels()
	return float64(l.Mic.PeakDBFS), float64(l.Speaker.PeakDBFS), true
}

var _ vendors.Metered = (*Vendor)(nil)

// StreamLevels are the latest microphone and speaker levels of the call
// audio through the page (silence when no call has media).
func (v *Vendor) StreamLevels() stream.Levels {
	return stream.Levels{Mic: v.media.mic.Load(), Speaker: v.media.spk.Load()}
}

// Quality is the received call audio's quality; false before any frame.
func (v *Vendor) Quality() (stream.QualityReport, bool) {
	q := v.media.q.Load()
	if q == nil {
		return stream.QualityReport{}, false
	}
	return stream.Report(q, "L16", quality.Thresholds{}), true
}

// MediaStats returns the audio frame counters.
func (v *Vendor) MediaStats() MediaStats {
	s := &v.media.stats
	return MediaStats{Sent: s.sent.Load(), Received: s.received.Load(), Played: s.played.Load(),
		Underruns: s.underruns.Load(), Dropped: s.dropped.Load(), Refused: s.refused.Load()}
}

// errFrame is a binary message that is no audio frame of this run.
var errFrame = errors.New("audio frame of the wrong size or without the secret")

// parseFrame reads one audio frame from the page (the layout above),
// checking its size and secret.
func parseFrame(b, key []byte) (seq uint16, ts uint32, pcm []int16, err error) {
	if len(b) != frameBytes || len(key) != 16 || string(b[:16]) != string(key) {
		return 0, 0, nil, errFrame
	}
	pcm = make([]int16, device.FrameSamples)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[frameHeader+2*i:]))
	}
	return binary.BigEndian.Uint16(b[16:]), binary.BigEndian.Uint32(b[18:]), pcm, nil
}

func secretKey(secret string) []byte {
	b, _ := hex.DecodeString(secret)
	return b
}
