package audio

import "testing"

// FuzzFrameDecoder feeds arbitrary payloads to every codec's decoder: no
// panic, a full frame out or an error.
func FuzzFrameDecoder(f *testing.F) {
	f.Add([]byte{0xF8, 0xFF, 0xFE})
	f.Add(make([]byte, 160))
	f.Add([]byte{})
	names := []string{NamePCMU, NamePCMA}
	if OpusAvailable {
		names = append(names, NameOpus)
	}
	decs := map[string]*FrameDecoder{}
	for _, n := range names {
		c, err := NewCodec(n)
		if err != nil {
			f.Fatal(err)
		}
		d, err := NewFrameDecoder(c)
		if err != nil {
			f.Fatal(err)
		}
		decs[n] = d
	}
	frame := make([]int16, FrameSamples)
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) > 960 {
			payload = payload[:960]
		}
		for _, d := range decs {
			if _, err := d.Decode(payload, frame); err != nil {
				if _, err := d.Conceal(frame); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
