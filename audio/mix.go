package audio

import "math"

// Mix sums the sources into dst sample by sample with saturation (clipping
// to the int16 range). Sources shorter than dst contribute silence past
// their end. dst may alias a source. It does not allocate.
func Mix(dst []int16, srcs ...[]int16) {
	for i := range dst {
		var acc int32
		for _, s := range srcs {
			if i < len(s) {
				acc += int32(s[i])
			}
		}
		switch {
		case acc > math.MaxInt16:
			acc = math.MaxInt16
		case acc < math.MinInt16:
			acc = math.MinInt16
		}
		dst[i] = int16(acc)
	}
}

// Scale multiplies pcm in place by gain, with saturation.
func Scale(pcm []int16, gain float32) {
	for i, s := range pcm {
		pcm[i] = clip16(float32(s) * gain)
	}
}

// MixMinus writes into dst, for a conference, the sum of all sources except
// the one at index skip (what party skip should hear). dst must not alias a
// source.
func MixMinus(dst []int16, skip int, srcs ...[]int16) {
	for i := range dst {
		var acc int32
		for j, s := range srcs {
			if j != skip && i < len(s) {
				acc += int32(s[i])
			}
		}
		dst[i] = int16(max(math.MinInt16, min(math.MaxInt16, acc)))
	}
}
