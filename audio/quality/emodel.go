package quality

import (
	"fmt"
	"strings"
	"time"
)

// Impairment figures per codec: the equipment impairment Ie and the packet
// loss robustness Bpl. G.711 with PLC from ITU-T G.113 Appendix I (Ie 0,
// Bpl 25.1). Opus has no G.113 entry; it is rated here like G.711 on the
// narrowband scale with a higher robustness for its PLC and in-band FEC (an
// assumption, not a standard figure).
var impairments = map[string]struct{ ie, bpl float64 }{
	"pcmu": {0, 25.1},
	"pcma": {0, 25.1},
	"opus": {0, 30},
}

// EModel returns the transmission rating R and the MOS for a codec (SDP
// name), a one-way mouth-to-ear delay and a random packet loss in percent.
// It is G.107 with default values for everything but the delay impairment Id
// (Idd for delays over 100 ms, plus the talker-echo term is taken as 0) and
// the effective equipment impairment Ie-eff (BurstR 1): R = 93.2 - Id - Ie-eff.
func EModel(codec string, delay time.Duration, lossPct float64) (r, mos float64) {
	imp, ok := impairments[strings.ToLower(codec)]
	if !ok {
		imp = impairments["pcmu"]
	}
	d := float64(delay) / float64(time.Millisecond)
	// Simplified delay impairment (Cole & Rosenbluth form of G.107's Id).
	id := 0.024 * d
	if d > 177.3 {
		id += 0.11 * (d - 177.3)
	}
	lossPct = max(0, min(100, lossPct))
	ieEff := imp.ie + (95-imp.ie)*lossPct/(lossPct+imp.bpl)
	r = 93.2 - id - ieEff
	return r, MOS(r)
}

// MOS converts an R rating to a mean opinion score (G.107 annex B).
func MOS(r float64) float64 {
	switch {
	case r <= 0:
		return 1
	case r >= 100:
		return 4.5
	}
	// The cubic dips just below 1 for R under about 6.5; MOS is 1..4.5.
	return max(1, 1+0.035*r+r*(r-60)*(100-r)*7e-6)
}

// Thresholds say when a call is degraded.
type Thresholds struct {
	MinMOS    float64       // below: degraded (default 3.6, R 70: "some users dissatisfied")
	MaxLoss   float64       // above, 0..1 (default 0.05)
	MaxJitter time.Duration // above (default 50 ms)
	MaxRTT    time.Duration // above (default 400 ms)
}

// DefaultThresholds are the thresholds used when none are given.
var DefaultThresholds = Thresholds{MinMOS: 3.6, MaxLoss: 0.05, MaxJitter: 50 * time.Millisecond, MaxRTT: 400 * time.Millisecond}

// Degraded reports whether s crosses any threshold, and a short reason fit
// for the console ("loss 7.1%").
func (th Thresholds) Degraded(s Stats) (bool, string) {
	var why []string
	if s.Received > 0 && s.MOS < th.MinMOS {
		why = append(why, fmt.Sprintf("mos %.1f", s.MOS))
	}
	if loss := max(s.Loss, s.RemoteLoss); loss > th.MaxLoss {
		why = append(why, fmt.Sprintf("loss %.1f%%", loss*100))
	}
	if s.Jitter > th.MaxJitter {
		why = append(why, fmt.Sprintf("jitter %d ms", s.Jitter.Milliseconds()))
	}
	if s.RTT > th.MaxRTT {
		why = append(why, fmt.Sprintf("rtt %d ms", s.RTT.Milliseconds()))
	}
	return len(why) > 0, strings.Join(why, ", ")
}
