//go:build !cgo

package device

import (
	"errors"
	"fmt"
	"time"
)

// Config chooses a sound device (unused without cgo).
type Config struct {
	Capture, Playback     string
	NoCapture, NoPlayback bool
	StallTimeout          time.Duration
	PlaybackLatency       time.Duration
	Period                time.Duration
}

// Info describes one device.
type Info struct {
	Name, Desc       string
	Default, Capture bool
}

var errNoCgo = errors.New("device: built without cgo, no sound devices")

// List reports that there are no devices without cgo.
func List() ([]Info, error) { return nil, errNoCgo }

// OpenOrNull returns the null device: sound needs cgo.
func OpenOrNull(Config) (Device, error) {
	return NewNull(true), fmt.Errorf("%w: %w", ErrNullFallback, errNoCgo)
}

// LiveEdge returns d: without cgo there is no sound card to trim.
func LiveEdge(d Device) Device { return d }
