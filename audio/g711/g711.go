// Package g711 implements the ITU-T G.711 companding laws (u-law for PCMU,
// A-law for PCMA) as table codecs over 16-bit linear PCM.
//
// All functions are pure and safe for concurrent use; the tables are built
// once at package initialisation.
package g711

const (
	ulawBias = 0x84  // 132: added before the segment search (G.711 table 2a)
	ulawClip = 32635 // largest magnitude before the bias overflows 15 bits
)

var (
	ulawDecode [256]int16
	alawDecode [256]int16
	// ulawEncode and alawEncode are indexed by the linear sample shifted
	// right by 2 (u-law, 14-bit) or 3 (A-law, 13-bit), offset to be unsigned.
	ulawEncode [1 << 14]uint8
	alawEncode [1 << 13]uint8
)

func init() {
	for i := 0; i < 256; i++ {
		ulawDecode[i] = ulawDecodeSlow(uint8(i))
		alawDecode[i] = alawDecodeSlow(uint8(i))
	}
	for i := range ulawEncode {
		ulawEncode[i] = ulawEncodeSlow(int16((i - 1<<13) << 2))
	}
	for i := range alawEncode {
		alawEncode[i] = alawEncodeSlow(int16((i - 1<<12) << 3))
	}
}

// EncodeUlaw returns the u-law code of one linear sample.
func EncodeUlaw(s int16) uint8 { return ulawEncode[(int(s)>>2)+1<<13] }

// DecodeUlaw returns the linear sample of one u-law code.
func DecodeUlaw(c uint8) int16 { return ulawDecode[c] }

// EncodeAlaw returns the A-law code of one linear sample.
func EncodeAlaw(s int16) uint8 { return alawEncode[(int(s)>>3)+1<<12] }

// DecodeAlaw returns the linear sample of one A-law code.
func DecodeAlaw(c uint8) int16 { return alawDecode[c] }

// UlawEncodeFrame encodes pcm into out, one byte per sample, and returns the
// number of bytes written (min(len(pcm), len(out))).
func UlawEncodeFrame(pcm []int16, out []byte) int {
	n := min(len(pcm), len(out))
	for i := 0; i < n; i++ {
		out[i] = EncodeUlaw(pcm[i])
	}
	return n
}

// UlawDecodeFrame decodes in into pcm and returns the number of samples.
func UlawDecodeFrame(in []byte, pcm []int16) int {
	n := min(len(pcm), len(in))
	for i := 0; i < n; i++ {
		pcm[i] = ulawDecode[in[i]]
	}
	return n
}

// AlawEncodeFrame encodes pcm into out, one byte per sample.
func AlawEncodeFrame(pcm []int16, out []byte) int {
	n := min(len(pcm), len(out))
	for i := 0; i < n; i++ {
		out[i] = EncodeAlaw(pcm[i])
	}
	return n
}

// AlawDecodeFrame decodes in into pcm and returns the number of samples.
func AlawDecodeFrame(in []byte, pcm []int16) int {
	n := min(len(pcm), len(in))
	for i := 0; i < n; i++ {
		pcm[i] = alawDecode[in[i]]
	}
	return n
}

// ulawEncodeSlow is the reference segment search of G.711 (u-law).
func ulawEncodeSlow(s int16) uint8 {
	x := int(s)
	sign := 0
	if x < 0 {
		x = -x
		sign = 0x80
	}
	if x > ulawClip {
		x = ulawClip
	}
	x += ulawBias
	exp := 7
	for mask := 0x4000; x&mask == 0 && exp > 0; mask >>= 1 {
		exp--
	}
	mant := (x >> (exp + 3)) & 0x0F
	return ^uint8(sign | exp<<4 | mant)
}

func ulawDecodeSlow(c uint8) int16 {
	c = ^c
	exp := int(c>>4) & 0x07
	mant := int(c & 0x0F)
	x := ((mant << 3) + ulawBias) << exp
	x -= ulawBias
	if c&0x80 != 0 {
		return int16(-x)
	}
	return int16(x)
}

// alawEncodeSlow is the reference segment search of G.711 (A-law), with the
// even-bit inversion (XOR 0x55) applied.
func alawEncodeSlow(s int16) uint8 {
	x := int(s)
	sign := 0x80
	if x < 0 {
		x = -x - 1
		sign = 0
	}
	x >>= 3 // 13-bit magnitude domain: 12 bits + sign
	var code int
	if x < 32 {
		code = x >> 1
	} else {
		exp := 1
		for v := x >> 5; v > 1 && exp < 7; v >>= 1 {
			exp++
		}
		code = exp<<4 | (x>>exp)&0x0F
	}
	return uint8(sign|code) ^ 0x55
}

func alawDecodeSlow(c uint8) int16 {
	c ^= 0x55
	exp := int(c>>4) & 0x07
	mant := int(c & 0x0F)
	var x int
	if exp == 0 {
		x = mant<<4 + 8
	} else {
		x = (mant<<4 + 0x108) << (exp - 1)
	}
	if c&0x80 == 0 {
		return int16(-x)
	}
	return int16(x)
}
