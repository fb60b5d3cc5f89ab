package media

import (
	"slices"
	"time"

	"github.com/agentty/agentty/audio/quality"
	"github.com/agentty/agentty/session"
)

// The quality of plain RTP legs. A console's phone scores only its own
// leg to the centre; a SIP caller's leg beyond the centre is the centre's
// to measure. Its rtpleg.Leg keeps the figures a phone keeps: loss and
// jitter of what the caller sends (the relay's receiving side), the loss
// of what the centre sends as the caller's RTCP receiver reports give it,
// the round trip from them, and an E-model MOS. Every QualityEvery the
// relay sends them as call.quality to each console that hears the leg
// (the agent, a supervisor monitoring); the console's client folds them
// into its phone's own figures for the call (vendors/local farquality.go).

// QualityEvery is how often the relay reports plain RTP legs' quality:
// the phone's interval.
const QualityEvery = 2 * time.Second

// rtpReceiving reports whether a leg expects packets: false for a plain
// RTP leg whose far end holds it inactive (or the centre's SDP said
// sendonly); true for every other leg.
func (l *leg) rtpReceiving() bool {
	if l.rtp == nil {
		return true
	}
	rl := l.rtp.Leg()
	return rl == nil || rl.Params().Receiving
}

// RTPQuality turns a plain RTP leg's figures into call.quality's: the
// loss is the worse of the two directions (what the centre receives, what
// the far end reports receiving), as the MOS already counts it.
func RTPQuality(s quality.Stats) session.Quality {
	return session.Quality{LossPct: 100 * max(s.Loss, s.RemoteLoss), JitterMS: float64(s.Jitter) / float64(time.Millisecond),
		RTTMS: float64(s.RTT) / float64(time.Millisecond), MOS: s.MOS}
}

// reportRTPQuality sends each plain RTP leg's quality to the consoles
// that hear it. A leg that is silent (media lost) or held has no true
// figure and is skipped, as the phone skips its own. Loop only.
func (s *Server) reportRTPQuality(now time.Time) {
	s.sendMu.RLock()
	report := s.report
	s.sendMu.RUnlock()
	if report == nil {
		return
	}
	for _, c := range s.calls {
		if c.held != "" {
			continue
		}
		for p, l := range c.legs {
			if l.rtp == nil || l.silent || !l.rtpReceiving() {
				continue
			}
			rl := l.rtp.Leg()
			if rl == nil {
				continue
			}
			st := rl.Quality().Stats
			if st.Expected == 0 {
				continue // nothing received yet: no figure
			}
			ev := session.CallQuality{CallBase: session.CallBase{At: now, CallID: c.id}, Quality: RTPQuality(st)}
			for lp, ll := range c.legs {
				if s.owned(lp) || ll.rtp != nil || !ll.answered {
					continue
				}
				if from, _ := c.hears(lp); slices.Contains(from, p) {
					report(lp, ev)
				}
			}
		}
	}
}
