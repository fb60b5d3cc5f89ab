package rtc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/audio/stream"
)

// InboundConfig configures an Inbound: the shared pipeline's player
// settings (OnDigit is called on the RTP reading goroutine).
type InboundConfig = stream.PlayerConfig

// Inbound plays one remote audio track: a reader goroutine feeds RTP into
// the shared pipeline's stream.Player (jitter buffer, decode or conceal,
// telephone-events to OnDigit, the Sink). Close waits for both.
type Inbound struct {
	cfg      InboundConfig
	track    *webrtc.TrackRemote
	receiver *webrtc.RTPReceiver
	player   *stream.Player

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
	codecs := map[uint8]webrtc.RTPCodecParameters{}
	if receiver != nil {
		for _, c := range receiver.GetParameters().Codecs {
			codecs[uint8(c.PayloadType)] = c
		}
	}
	c := track.Codec()
	codecs[uint8(c.PayloadType)] = c
	var list []stream.Codec
	for _, p := range codecs {
		list = append(list, codecOf(p))
	}
	q := cfg.Quality
	if q == nil {
		q = quality.NewMonitor(CodecName(c.MimeType), int(c.ClockRate))
	}
	in := &Inbound{cfg: cfg, track: track, receiver: receiver}
	pc := cfg
	pc.Quality = q
	in.player = stream.NewPlayer(list, pc)
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	in.wg.Add(1)
	go in.readLoop(ctx)
	if receiver != nil {
		in.wg.Add(1)
		go in.rtcpLoop(ctx)
	}
	return in, nil
}

// Meter returns the level of what is played.
func (in *Inbound) Meter() *audio.Meter { return in.player.Meter() }

// Quality returns the stream's quality monitor.
func (in *Inbound) Quality() *quality.Monitor { return in.player.Quality() }

// Codec returns the name of the codec being decoded ("" before media).
func (in *Inbound) Codec() string { return in.player.Codec() }

// Stats returns the counters.
func (in *Inbound) Stats() Stats { return in.player.Stats() }

// Close stops the reader and the player and waits for them.
func (in *Inbound) Close() error {
	in.cancel()
	err := in.track.SetReadDeadline(time.Now())
	if in.receiver != nil {
		err = errors.Join(err, in.receiver.SetReadDeadline(time.Now()))
	}
	in.wg.Wait()
	return errors.Join(err, in.player.Close())
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
	for ctx.Err() == nil {
		n, _, err := in.track.Read(buf)
		if err != nil {
			return
		}
		if err := pkt.Unmarshal(buf[:n]); err != nil {
			in.report(fmt.Errorf("rtc: inbound rtp: %w", err))
			continue
		}
		in.player.Push(&pkt, in.cfg.Now())
	}
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
