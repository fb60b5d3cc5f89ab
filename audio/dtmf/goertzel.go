package dtmf

import (
	"fmt"
	"math"
)

var (
	rowFreqs = [4]float64{697, 770, 852, 941}
	colFreqs = [4]float64{1209, 1336, 1477, 1633}
	keypad   = [4][4]rune{
		{'1', '2', '3', 'A'},
		{'4', '5', '6', 'B'},
		{'7', '8', '9', 'C'},
		{'*', '0', '#', 'D'},
	}
)

// Freqs returns the row and column frequencies of a digit.
func Freqs(digit rune) (row, col float64, err error) {
	if 'a' <= digit && digit <= 'd' {
		digit -= 'a' - 'A'
	}
	for r := range keypad {
		for c := range keypad[r] {
			if keypad[r][c] == digit {
				return rowFreqs[r], colFreqs[c], nil
			}
		}
	}
	return 0, 0, fmt.Errorf("%w: %q", ErrDigit, digit)
}

// Generate writes the dual tone of digit at rate into pcm, each component
// at amplitude (0..1 of full scale), starting at sample offset (to continue
// phase across frames).
func Generate(pcm []int16, digit rune, rate int, amplitude float64, offset int) error {
	fr, fc, err := Freqs(digit)
	if err != nil {
		return err
	}
	for i := range pcm {
		t := float64(offset+i) / float64(rate)
		v := amplitude * 32767 * (math.Sin(2*math.Pi*fr*t) + math.Sin(2*math.Pi*fc*t))
		pcm[i] = int16(max(-32768, min(32767, v)))
	}
	return nil
}

// Power returns the Goertzel power of frequency f in pcm at rate,
// normalised so a full-scale sine of f measures about 1.
func Power(pcm []int16, f float64, rate int) float64 {
	w := 2 * math.Pi * f / float64(rate)
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range pcm {
		s0 := float64(x)/32768 + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - coeff*s1*s2
	n := float64(len(pcm))
	return 4 * p / (n * n)
}

// Detect looks for one DTMF digit in a block of pcm (10-50 ms works; 20 ms
// is the frame): the strongest row and column tones must each stand 8 dB
// above the other tones of their group, hold most of the block's energy,
// and differ by at most 8 dB (twist).
func Detect(pcm []int16, rate int) (rune, bool) {
	if len(pcm) == 0 {
		return 0, false
	}
	var energy float64
	for _, x := range pcm {
		v := float64(x) / 32768
		energy += v * v
	}
	energy = 2 * energy / float64(len(pcm)) // a sine of amplitude a gives a^2
	if energy < 1e-5 {                      // about -50 dBFS
		return 0, false
	}
	r, rp, rok := strongest(pcm, rowFreqs, rate)
	c, cp, cok := strongest(pcm, colFreqs, rate)
	if !rok || !cok {
		return 0, false
	}
	if rp+cp < 0.6*energy {
		return 0, false
	}
	if ratio := rp / cp; ratio > 6.3 || ratio < 1/6.3 {
		return 0, false
	}
	return keypad[r][c], true
}

func strongest(pcm []int16, freqs [4]float64, rate int) (int, float64, bool) {
	best, bp, second := 0, 0.0, 0.0
	for i, f := range freqs {
		p := Power(pcm, f, rate)
		if p > bp {
			second, best, bp = bp, i, p
		} else if p > second {
			second = p
		}
	}
	return best, bp, bp > 6.3*second
}

// Detector finds digits in a stream of audio: it examines it in blocks of
// 20 ms (whatever lengths it is fed in), and a digit is reported once when
// it has been present in two consecutive blocks, and again only after a
// block without it. Not safe for concurrent use.
type Detector struct {
	Rate     int
	last     rune
	reported bool
	block    []int16 // audio not yet examined, less than a block
}

// Frame feeds pcm (any length) and returns a digit newly detected in the
// blocks it completed.
func (d *Detector) Frame(pcm []int16) (rune, bool) {
	size := d.Rate / 50
	var found rune
	ok := false
	for len(pcm) > 0 {
		if len(d.block) == 0 && len(pcm) >= size {
			if r, hit := d.examine(pcm[:size]); hit {
				found, ok = r, true
			}
			pcm = pcm[size:]
			continue
		}
		if d.block == nil {
			d.block = make([]int16, 0, size)
		}
		k := min(size-len(d.block), len(pcm))
		d.block = append(d.block, pcm[:k]...)
		pcm = pcm[k:]
		if len(d.block) == size {
			if r, hit := d.examine(d.block); hit {
				found, ok = r, true
			}
			d.block = d.block[:0]
		}
	}
	return found, ok
}

// examine looks at one block.
func (d *Detector) examine(pcm []int16) (rune, bool) {
	digit, ok := Detect(pcm, d.Rate)
	if !ok {
		d.last, d.reported = 0, false
		return 0, false
	}
	if digit != d.last {
		d.last, d.reported = digit, false
		return 0, false
	}
	if d.reported {
		return 0, false
	}
	d.reported = true
	return digit, true
}
