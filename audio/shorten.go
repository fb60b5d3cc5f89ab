package audio

import "math"

// Shorten drops about k samples from the middle of frame's opening, in
// place, and returns the shortened frame: the player's way of giving back
// delay it does not need without a click. The cut is placed where the
// signal k samples on looks most like the frame's start (within a
// millisecond of k, so a voiced sound keeps its phase), and the two are
// crossfaded over 2.5 ms. At least 5 ms of the frame is kept; k below a
// millisecond leaves frame as it is. It does not allocate.
func Shorten(frame []int16, k int) []int16 {
	const (
		fade   = SampleRate / 400 // 2.5 ms
		search = SampleRate / 1000
		keep   = SampleRate / 200
	)
	n := len(frame)
	k = min(k, n-keep-fade)
	if k < search {
		return frame
	}
	// Best cut in [k-search, k]: the largest normalized correlation of
	// frame[0:fade] with frame[c:c+fade].
	best, bestScore := k, -2.0
	for c := k - search; c <= k; c++ {
		var xy, yy float64
		for i := 0; i < fade; i++ {
			x, y := float64(frame[i]), float64(frame[c+i])
			xy += x * y
			yy += y * y
		}
		score := 0.0
		if yy > 0 {
			score = xy / math.Sqrt(yy)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	k = best
	for i := 0; i < fade; i++ {
		a, b := int32(frame[i]), int32(frame[i+k])
		frame[i] = int16((a*int32(fade-i) + b*int32(i)) / fade)
	}
	copy(frame[fade:], frame[fade+k:])
	return frame[:n-k]
}
