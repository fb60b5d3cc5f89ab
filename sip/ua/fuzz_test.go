package ua

import "testing"

func FuzzParseDTMFRelay(f *testing.F) {
	f.Add([]byte("Signal=5\r\nDuration=160\r\n"))
	f.Add([]byte("signal= 11\n"))
	f.Add([]byte("Duration=1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseDTMFRelay(b)
		if err == nil && d == 0 {
			t.Fatal("no digit and no error")
		}
	})
}
