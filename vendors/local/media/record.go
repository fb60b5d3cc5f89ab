package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
)

// wavHeaderLen is the size of the canonical 44-byte PCM WAV header.
const wavHeaderLen = 44

// Recording is one call's stereo WAV file: the left channel is the
// customer's side, the right the agent's. The mixer (or a test) hands it
// one 20 ms frame of each side per tick with Write; a missing side is
// silence. It is safe for concurrent use.
//
// A write error (a full disk) ends the recording, never the call: Write
// returns the error once, Err keeps it, later Writes do nothing, and the
// file keeps a valid header for what was written before. Pause/Resume
// (record off/on) skip frames without closing the file.
type Recording struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	data    uint32 // bytes of sample data written
	paused  bool
	err     error
	closed  bool
	scratch []byte
}

// StartRecording creates dir if needed and the file name there (a call
// id, with ".wav" added); name may not hold a path separator.
func StartRecording(dir, name string) (*Recording, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil, fmt.Errorf("recording: bad file name %q", name)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	path := filepath.Join(dir, name+".wav")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	r := &Recording{f: f, path: path}
	if _, err := f.Write(wavHeader(0)); err != nil {
		r.err = fmt.Errorf("recording %s: %w", path, err)
		_ = f.Close()
		r.closed = true
		return r, r.err
	}
	return r, nil
}

// Path is the file's path.
func (r *Recording) Path() string { return r.path }

// Pause stops writing frames (record off); Resume starts again.
func (r *Recording) Pause()  { r.mu.Lock(); r.paused = true; r.mu.Unlock() }
func (r *Recording) Resume() { r.mu.Lock(); r.paused = false; r.mu.Unlock() }

// Active reports whether frames are being written: not paused, no error,
// not closed.
func (r *Recording) Active() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.paused && r.err == nil && !r.closed
}

// Err is the write error that ended the recording, or nil.
func (r *Recording) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Write appends one frame: customer samples left, agent samples right
// (nil or short is silence; the frame is as long as the longer side).
// It returns a write error only the first time; the recording is then
// over, the header fixed up as far as possible and the file closed.
func (r *Recording) Write(customer, agent []int16) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paused || r.err != nil || r.closed {
		return nil
	}
	n := max(len(customer), len(agent))
	if need := 4 * n; cap(r.scratch) < need {
		r.scratch = make([]byte, need)
	}
	b := r.scratch[:4*n]
	for i := 0; i < n; i++ {
		var left, right int16
		if i < len(customer) {
			left = customer[i]
		}
		if i < len(agent) {
			right = agent[i]
		}
		binary.LittleEndian.PutUint16(b[4*i:], uint16(left))
		binary.LittleEndian.PutUint16(b[4*i+2:], uint16(right))
	}
	if uint64(r.data)+uint64(len(b)) > 0xFFFFFFFF-wavHeaderLen {
		r.err = errors.New("recording: file reached the 4 GB WAV limit")
		r.finish()
		return r.err
	}
	w, err := r.f.Write(b)
	r.data += uint32(w)
	if err != nil {
		r.err = fmt.Errorf("recording %s: %w", r.path, err)
		r.finish()
		return r.err
	}
	return nil
}

// Close writes the final header and closes the file. It returns the
// error that ended the recording, if any, or the close's own.
func (r *Recording) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	err := r.finish()
	if r.err != nil {
		return r.err
	}
	return err
}

// finish fixes the header's sizes and closes the file; r.mu is held.
func (r *Recording) finish() error {
	if r.closed {
		return nil
	}
	r.closed = true
	_, herr := r.f.WriteAt(wavHeader(r.data), 0)
	cerr := r.f.Close()
	if herr != nil {
		return fmt.Errorf("recording %s: %w", r.path, herr)
	}
	if cerr != nil {
		return fmt.Errorf("recording %s: %w", r.path, cerr)
	}
	return nil
}

// wavHeader is the 44-byte header of a 16-bit stereo PCM file at
// audio.SampleRate holding data bytes of samples.
func wavHeader(data uint32) []byte {
	h := make([]byte, wavHeaderLen)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+data)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1) // PCM
	binary.LittleEndian.PutUint16(h[22:], 2) // channels
	binary.LittleEndian.PutUint32(h[24:], audio.SampleRate)
	binary.LittleEndian.PutUint32(h[28:], audio.SampleRate*4)
	binary.LittleEndian.PutUint16(h[32:], 4)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], data)
	return h
}

// ReadStereoWAV reads a file Recording wrote (16-bit stereo PCM, any
// rate) and returns its rate and its left and right channels. Anything
// else is a one-line error.
func ReadStereoWAV(rd io.Reader) (rate int, left, right []int16, err error) {
	h := make([]byte, wavHeaderLen)
	if _, err := io.ReadFull(rd, h); err != nil {
		return 0, nil, nil, fmt.Errorf("wav: short header: %w", err)
	}
	if string(h[0:4]) != "RIFF" || string(h[8:16]) != "WAVEfmt " || string(h[36:40]) != "data" {
		return 0, nil, nil, errors.New("wav: not a canonical RIFF/WAVE PCM file")
	}
	if binary.LittleEndian.Uint16(h[20:]) != 1 || binary.LittleEndian.Uint16(h[22:]) != 2 ||
		binary.LittleEndian.Uint16(h[34:]) != 16 {
		return 0, nil, nil, errors.New("wav: not 16-bit stereo PCM")
	}
	rate = int(binary.LittleEndian.Uint32(h[24:]))
	n := binary.LittleEndian.Uint32(h[40:])
	const maxData = 1 << 28
	if n > maxData {
		return 0, nil, nil, fmt.Errorf("wav: data size %d too large", n)
	}
	b := make([]byte, n&^3)
	got, err := io.ReadFull(rd, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !(errors.Is(err, io.EOF) && got == 0) {
		return 0, nil, nil, fmt.Errorf("wav: %w", err)
	}
	b = b[:got&^3]
	left = make([]int16, len(b)/4)
	right = make([]int16, len(b)/4)
	for i := range left {
		left[i] = int16(binary.LittleEndian.Uint16(b[4*i:]))
		right[i] = int16(binary.LittleEndian.Uint16(b[4*i+2:]))
	}
	return rate, left, right, nil
}

// SweepRecordings removes the .wav files in dir last written before
// now minus keep (the retention setting); keep <= 0 keeps everything.
// It returns the removed paths; a missing dir is no error.
func SweepRecordings(dir string, keep time.Duration, now time.Time) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("recordings retention: %w", err)
	}
	var removed []string
	var errs []error
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".wav") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if now.Sub(info.ModTime()) <= keep {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("recordings retention: %w", err)
	}
	return removed, nil
}
