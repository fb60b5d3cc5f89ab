package media

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentty/agentty/audio"
)

// toneFrames is n 20 ms frames of a sine at freq.
func toneFrame(freq float64, i0 int) []int16 {
	f := make([]int16, audio.SampleRate/50)
	for i := range f {
		f[i] = int16(8000 * math.Sin(2*math.Pi*freq*float64(i0+i)/audio.SampleRate))
	}
	return f
}

func readRec(t *testing.T, path string) (left, right []int16) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rate, l, r, err := ReadStereoWAV(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if rate != audio.SampleRate {
		t.Fatalf("rate %d", rate)
	}
	return l, r
}

func TestRecordingStereoSides(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "recordings")
	rec, err := StartRecording(dir, "c1")
	if err != nil {
		t.Fatal(err)
	}
	const kiosk, agent = 700.0, 1300.0
	n := audio.SampleRate / 50
	for k := 0; k < 50; k++ {
		if err := rec.Write(toneFrame(kiosk, k*n), toneFrame(agent, k*n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	l, r := readRec(t, filepath.Join(dir, "c1.wav"))
	if len(l) != 50*n {
		t.Fatalf("samples %d, want %d", len(l), 50*n)
	}
	if a, b := recToneAmp(l, kiosk), recToneAmp(l, agent); a < 0.2 || b > 0.01 {
		t.Fatalf("left: kiosk %.3f agent %.3f", a, b)
	}
	if a, b := recToneAmp(r, agent), recToneAmp(r, kiosk); a < 0.2 || b > 0.01 {
		t.Fatalf("right: agent %.3f kiosk %.3f", a, b)
	}
}

func TestRecordingOffStopsWriting(t *testing.T) {
	dir := t.TempDir()
	rec, err := StartRecording(dir, "c2")
	if err != nil {
		t.Fatal(err)
	}
	n := audio.SampleRate / 50
	_ = rec.Write(toneFrame(500, 0), nil)
	rec.Pause()
	if rec.Active() {
		t.Fatal("active after Pause")
	}
	for k := 0; k < 10; k++ {
		_ = rec.Write(toneFrame(500, 0), toneFrame(900, 0))
	}
	rec.Resume()
	_ = rec.Write(nil, toneFrame(900, 0))
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	l, r := readRec(t, rec.Path())
	if len(l) != 2*n {
		t.Fatalf("samples %d, want %d (paused frames written)", len(l), 2*n)
	}
	if recToneAmp(l[n:], 500) > 0.01 || recToneAmp(r[:n], 900) > 0.01 {
		t.Fatal("silence side holds a tone")
	}
}

func TestRecordingFullDiskEndsRecordingOnly(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/full", filepath.Join(dir, "c3.wav")); err != nil {
		t.Fatal(err)
	}
	rec, err := StartRecording(dir, "c3")
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("start on a full disk: %v", err)
	}
	if rec.Active() {
		t.Fatal("active after a write error")
	}
	if err := rec.Write(toneFrame(500, 0), nil); err != nil {
		t.Fatalf("a Write after the error returned %v (want nothing more)", err)
	}
	if err := rec.Close(); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Close: %v", err)
	}
}

func TestRecordingBadName(t *testing.T) {
	if _, err := StartRecording(t.TempDir(), "../x"); err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("bad name: %v", err)
	}
}

func TestSweepRecordings(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 4, 5, 0, 0, 0, time.UTC)
	old, fresh, other := filepath.Join(dir, "old.wav"), filepath.Join(dir, "new.wav"), filepath.Join(dir, "notes.txt")
	for _, p := range []string{old, fresh, other} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Chtimes(old, now.Add(-31*24*time.Hour), now.Add(-31*24*time.Hour))
	_ = os.Chtimes(other, now.Add(-31*24*time.Hour), now.Add(-31*24*time.Hour))
	_ = os.Chtimes(fresh, now.Add(-time.Hour), now.Add(-time.Hour))
	removed, err := SweepRecordings(dir, 30*24*time.Hour, now)
	if err != nil || len(removed) != 1 || removed[0] != old {
		t.Fatalf("removed %v, %v", removed, err)
	}
	for _, p := range []string{fresh, other} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if r, err := SweepRecordings(filepath.Join(dir, "none"), time.Hour, now); err != nil || r != nil {
		t.Fatalf("missing dir: %v %v", r, err)
	}
}

func FuzzReadStereoWAV(f *testing.F) {
	f.Add(append(wavHeader(8), 1, 2, 3, 4, 5, 6, 7, 8))
	f.Add([]byte("RIFF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, l, r, err := ReadStereoWAV(bytes.NewReader(b))
		if err == nil && len(l) != len(r) {
			t.Fatal("channels differ in length")
		}
	})
}

// recToneAmp is the amplitude (full scale 1) of freq in pcm, by Goertzel.
func recToneAmp(pcm []int16, freq float64) float64 {
	k := 2 * math.Cos(2*math.Pi*freq/audio.SampleRate)
	var s1, s2 float64
	for _, x := range pcm {
		s0 := float64(x)/32768 + k*s1 - s2
		s2, s1 = s1, s0
	}
	p := s1*s1 + s2*s2 - k*s1*s2
	return 2 * math.Sqrt(math.Max(p, 0)) / float64(len(pcm))
}
