// Package vendors is the seam between agentty's stable model (package
// session) and each backend's wire vocabulary. A backend implements Vendor;
// it registers a Factory under its name so main can pick it from settings.
//
// Sub-packages: local (the embedded contact centre, the default and the
// reference backend), fake (an in-process scripted backend for tests), and
// vendortest (the contract suite every backend must pass).
package vendors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/agentty/agentty/session"
)

// Vendor is one connection to a backend, for one user.
//
// Contract:
//   - Connect dials and signs in. It returns once the link is up or has
//     definitely failed; either way it has delivered connection.* and
//     auth.result events that say so. After a successful Connect the vendor
//     keeps the link alive itself (reconnecting with backoff and emitting
//     connection.lost / reconnecting / restored) until Close.
//   - Events returns the same channel on every call. Events are delivered in
//     the order the backend produced them (possibly from the goroutine that
//     called Send).
//     The channel is closed after Close, once nothing more will be sent. The
//     consumer must keep reading; a vendor may drop events only by stating so
//     in its own documentation.
//   - Send carries out one command that session.Check allowed. It blocks until
//     the backend accepted or refused it; every event the backend produced
//     before its answer has been sent on Events before Send returns. A refusal
//     is an error whose text is one sentence for the person; the vendor also
//     emits a command.failed event for it. Send is safe for concurrent use.
//   - Capabilities is fixed for the life of the Vendor; Check refuses verbs
//     outside it.
//   - Close ends the session (signing out where the backend has that notion),
//     stops every goroutine the vendor started and waits for them. It is
//     idempotent. Send after Close returns ErrClosed.
type Vendor interface {
	Name() string
	Capabilities() session.Capabilities
	Connect(ctx context.Context) error
	Send(ctx context.Context, c session.Command) error
	Events() <-chan session.Event
	Close() error
}

// Metered is implemented by a Vendor that carries calls' audio on this
// machine: the console's VU meters read it. It is optional; the console
// finds it with a type assertion (through wrappers with Unwrap).
type Metered interface {
	// Levels returns the latest microphone (after mute) and speaker peak
	// levels in dBFS, and false when there is no audio path. It must be
	// cheap (an atomic load): the console calls it ten times a second.
	Levels() (micDBFS, speakerDBFS float64, ok bool)
}

// Devices is implemented by a Vendor whose calls open this machine's
// sound devices: the console lists the microphones and speakers and
// switches them. It is optional, found as Metered is.
type Devices interface {
	// ListDevices returns the microphones and speakers the sound server
	// offers, marking the ones the next call opens. It asks the sound
	// server: call it off the UI goroutine. The error is one sentence.
	ListDevices() ([]session.AudioDevice, error)
	// UseDevice chooses the microphone (capture) or the speaker by name
	// ("": the system's default) from the next call on; a call under way
	// keeps its devices. A name the sound server does not offer is refused
	// in one sentence.
	UseDevice(capture bool, name string) error
}

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("vendor closed")

// Clock is the time source a vendor stamps events with. Tests inject one.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Config is what a Factory needs to build a Vendor. Options carries
// backend-specific settings by name (from flags, AGENTTY_* variables or the
// config file).
type Config struct {
	Server  string
	Token   string
	Options map[string]string
	// Media is the audio of a backend that carries calls' audio on this
	// machine; a backend without audio ignores it.
	Media  Media
	Clock  Clock
	Logger *slog.Logger
}

// Media is where a backend's call audio comes from and goes to, and how it
// is coded.
type Media struct {
	Mic, Speaker       string // capture and playback devices by name ("": the system's default)
	MicWAV, SpeakerWAV string // WAV files instead of the devices
	Codec              string // the preferred codec: "opus", "pcmu" or "pcma" ("": Opus, then G.711)
	Off                bool   // calls carry no audio here
}

// Factory builds a Vendor from settings. It does not dial: Connect does.
type Factory func(Config) (Vendor, error)

var (
	regMu    sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a backend available by name. It panics on a duplicate name,
// as database/sql.Register does: registration happens in init.
func Register(name string, f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("vendors: Register called twice for " + name)
	}
	registry[name] = f
}

// ErrUnknownVendor is returned by New for a name nobody registered.
var ErrUnknownVendor = errors.New("unknown vendor")

// New builds the backend registered under name.
func New(name string, cfg Config) (Vendor, error) {
	regMu.RLock()
	f, ok := registry[name]
	regMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("vendors: %q: %w (have: %v)", name, ErrUnknownVendor, Names())
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return f(cfg)
}

// Names lists the registered backends, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Standard capability sets, for backends to start from. Each call returns
// a fresh slice: no importer can change another's set.

// AgentVerbs returns what an agent console needs.
func AgentVerbs() []session.Verb {
	return []session.Verb{
		session.VerbCheckIn, session.VerbCheckOut, session.VerbReady, session.VerbNotReady,
		session.VerbRest, session.VerbDone, session.VerbDial, session.VerbAnswer,
		session.VerbReject, session.VerbHangup, session.VerbHold, session.VerbRetrieve,
		session.VerbTransfer, session.VerbDTMF, session.VerbMute, session.VerbUnmute,
	}
}

// PhoneVerbs returns what a phone with no ACD has: AgentVerbs without
// check-in, ready, not-ready, rest and wrap-up.
func PhoneVerbs() []session.Verb {
	return []session.Verb{
		session.VerbDial, session.VerbAnswer, session.VerbReject, session.VerbHangup,
		session.VerbHold, session.VerbRetrieve, session.VerbTransfer, session.VerbDTMF,
		session.VerbMute, session.VerbUnmute,
	}
}

// SupervisorVerbs returns the verbs that act on another agent.
func SupervisorVerbs() []session.Verb {
	return []session.Verb{
		session.VerbListen, session.VerbWhisper, session.VerbBarge, session.VerbIntercept,
		session.VerbPause, session.VerbRestore, session.VerbLogout,
	}
}

// KioskVerbs returns what a kiosk can do.
func KioskVerbs() []session.Verb {
	return []session.Verb{session.VerbCall, session.VerbLeave, session.VerbMute, session.VerbUnmute}
}

// AllVerbs returns the union of the standard sets.
func AllVerbs() []session.Verb {
	return slices.Concat(AgentVerbs(), SupervisorVerbs(), KioskVerbs())
}
