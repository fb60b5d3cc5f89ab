package audio

import "math"

// plc is a G.711 Appendix I-style concealment for 8 kHz speech: on loss it
// estimates the pitch period from the recent history, repeats the last
// period (its seam smoothed by overlap-add), attenuates by 20 % per 10 ms
// after the first 10 ms, goes silent after 60 ms, and cross-fades back into
// the first good frame after a loss.
type plc struct {
	hist    [plcHist]int16 // most recent samples, oldest first
	filled  int
	period  [plcMaxPitch]float32
	pitch   int
	pos     int // next index into period
	lostLen int // samples concealed in the current erasure
}

const (
	plcHist     = 390 // 48.75 ms at 8 kHz, as Appendix I
	plcMinPitch = 40  // 200 Hz
	plcMaxPitch = 120 // 66.7 Hz
	plcCorrLen  = 160
	plcMerge    = 32 // 4 ms cross-fade into the first good frame
)

// good records a decoded frame, merging after an erasure.
func (p *plc) good(pcm []int16) {
	if p.lostLen > 0 {
		n := min(plcMerge, len(pcm))
		for i := 0; i < n; i++ {
			w := float32(i+1) / float32(n+1)
			syn := p.next()
			pcm[i] = clip16((1-w)*syn + w*float32(pcm[i]))
		}
		p.lostLen = 0
	}
	p.push(pcm)
}

func (p *plc) push(pcm []int16) {
	if len(pcm) >= plcHist {
		copy(p.hist[:], pcm[len(pcm)-plcHist:])
	} else {
		copy(p.hist[:], p.hist[len(pcm):])
		copy(p.hist[plcHist-len(pcm):], pcm)
	}
	p.filled = min(plcHist, p.filled+len(pcm))
}

// conceal fills pcm with synthesised signal.
func (p *plc) conceal(pcm []int16) {
	if p.lostLen == 0 {
		p.start()
	}
	for i := range pcm {
		g := p.gain()
		pcm[i] = clip16(g * p.next())
		p.lostLen++
	}
}

func (p *plc) gain() float32 {
	const ms10 = 80
	switch {
	case p.lostLen < ms10:
		return 1
	case p.lostLen >= 6*ms10:
		return 0
	}
	return 1 - 0.2*float32(p.lostLen-ms10)/ms10
}

func (p *plc) next() float32 {
	if p.pitch == 0 {
		return 0
	}
	v := p.period[p.pos]
	p.pos++
	if p.pos == p.pitch {
		p.pos = 0
	}
	return v
}

// start estimates the pitch and builds the period template.
func (p *plc) start() {
	p.pos = 0
	if p.filled < plcCorrLen+plcMaxPitch+plcMaxPitch/4 {
		p.pitch = 0
		return
	}
	h := p.hist[:]
	end := plcHist
	best, bestScore := plcMinPitch, -1.0
	for lag := plcMinPitch; lag <= plcMaxPitch; lag++ {
		var xy, yy float64
		for i := end - plcCorrLen; i < end; i++ {
			x, y := float64(h[i]), float64(h[i-lag])
			xy += x * y
			yy += y * y
		}
		if yy == 0 {
			continue
		}
		score := xy / math.Sqrt(yy)
		if score > bestScore {
			best, bestScore = lag, score
		}
	}
	p.pitch = best
	q := best / 4
	for i := 0; i < best; i++ {
		p.period[i] = float32(h[end-best+i])
	}
	// Overlap-add the template's tail with the samples one period earlier so
	// that its last sample flows into its first.
	for i := 0; i < q; i++ {
		w := float32(i+1) / float32(q+1)
		j := best - q + i
		p.period[j] = (1-w)*p.period[j] + w*float32(h[end-2*best+j])
	}
	// Start where the history left off: the continuation of the last sample.
	p.pos = 0
}

func clip16(v float32) int16 {
	switch {
	case v > 32767:
		return 32767
	case v < -32768:
		return -32768
	}
	return int16(v)
}
