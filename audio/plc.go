package audio

import "math"

// plc is the concealment of ITU-T G.711 Appendix I for 8 kHz speech. On
// loss it estimates the pitch period from the last 48.75 ms and repeats the
// last period (its seam smoothed by overlap-add); after 10 ms it repeats
// the last two periods, after 20 ms the last three, so that a long loss
// does not buzz; it attenuates by 20 % per 10 ms after the first 10 ms and
// goes silent after 60 ms. The first good frame after a loss is merged
// into the synthesis by a cross-fade of 4 ms, 4 ms longer per further
// 10 ms lost (at most 10 ms). Unlike Appendix I it adds no 3.75 ms output
// delay: the start of a loss is smoothed by the template's own seam.
type plc struct {
	hist    [plcHist]int16 // most recent samples, oldest first
	filled  int
	period  [plcMaxPeriods * plcMaxPitch]float32
	pitch   int
	periods int // periods in the template: 1, then 2 after 10 ms, 3 after 20 ms
	pos     int // next index into period
	lostLen int // samples concealed in the current erasure
}

const (
	plcHist     = 390 // 48.75 ms at 8 kHz, as Appendix I
	plcMinPitch = 40  // 200 Hz
	plcMaxPitch = 120 // 66.7 Hz
	plcCorrLen  = 160
	plcMerge    = 32 // 4 ms cross-fade into the first good frame, +4 ms per further 10 ms lost
	plcMaxMerge = 80
	plc10ms     = 80
	// plcMaxPeriods periods of the longest pitch and a quarter period
	// before them fit in the history.
	plcMaxPeriods = 3
)

// good records a decoded frame, merging after an erasure.
func (p *plc) good(pcm []int16) {
	if p.lostLen > 0 {
		merge := min(plcMaxMerge, plcMerge+plcMerge*((p.lostLen-1)/plc10ms))
		n := min(merge, len(pcm))
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
		if p.lostLen > 0 && p.lostLen%plc10ms == 0 && p.periods < plcMaxPeriods {
			p.grow()
		}
		g := p.gain()
		pcm[i] = clip16(g * p.next())
		p.lostLen++
	}
}

func (p *plc) gain() float32 {
	const ms10 = plc10ms
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
	if p.pos == p.periods*p.pitch {
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
	p.template(1)
	// Start where the history left off: the continuation of the last sample.
	p.pos = 0
}

// template takes the last k periods of the history as the signal to
// repeat, its last quarter period overlap-added with the quarter period
// before its start, so that its last sample flows into its first.
func (p *plc) template(k int) {
	h, end := p.hist[:], plcHist
	L := k * p.pitch
	q := p.pitch / 4
	for i := 0; i < L; i++ {
		p.period[i] = float32(h[end-L+i])
	}
	for i := 0; i < q; i++ {
		w := float32(i+1) / float32(q+1)
		j := L - q + i
		p.period[j] = (1-w)*p.period[j] + w*float32(h[end-L-q+i])
	}
	p.periods = k
}

// grow repeats one more period of the history from now on. The sample
// due next is the same one in the longer template, a period further in.
func (p *plc) grow() {
	if p.pitch == 0 {
		return
	}
	p.template(p.periods + 1)
	p.pos += p.pitch
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
