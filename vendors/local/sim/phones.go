package sim

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/phone"
	"github.com/agentty/agentty/vendors/local/proto"
)

// DefaultPrompt is what a simulated caller says before it echoes.
const DefaultPrompt = "Hello, this is a simulated caller. After this message you will hear yourself, one second late."

// PhonesConfig configures the simulated parties' phones.
type PhonesConfig struct {
	// Device opens the device of a simulated party's call (nil: an Echo
	// that says Prompt, then repeats what the party hears a second later).
	Device func(party, callID string) (device.Device, error)
	// Prompt is what simulated callers say (espeak-ng when installed, else
	// a tone). Default DefaultPrompt.
	Prompt string
	// Loopback restricts the phones' ICE to 127.0.0.1, as the relay's.
	Loopback bool
	Logger   *slog.Logger
}

// Phones runs the phones of the parties that have no console, simulated
// callers ("sim:N") and dialled numbers ("ext:N"), for the centre's media
// relay: its Open is the relay's media.Config.Parties.
type Phones struct {
	cfg    PhonesConfig
	prompt promptCache
}

// NewPhones returns the simulated parties' phones.
func NewPhones(cfg PhonesConfig) *Phones {
	if cfg.Prompt == "" {
		cfg.Prompt = DefaultPrompt
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Phones{cfg: cfg}
}

// Simulated reports whether a party has no console: a simulated caller or
// a dialled number.
func Simulated(party string) bool {
	return strings.HasPrefix(party, "sim:") || strings.HasPrefix(party, "ext:")
}

// Open implements media.PartyOpener: a phone for a simulated party, nil
// for anyone else.
func (ps *Phones) Open(party string, send func(proto.Signal)) (media.Party, error) {
	if !Simulated(party) {
		return nil, nil
	}
	open := func(callID string) (device.Device, error) {
		if ps.cfg.Device != nil {
			return ps.cfg.Device(party, callID)
		}
		return NewEcho(ps.prompt.get(ps.cfg.Prompt), time.Second), nil
	}
	ph, err := phone.New(phone.Config{
		Send:       send,
		OpenDevice: open,
		Loopback:   ps.cfg.Loopback,
		Logger:     ps.cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}

// promptCache renders the simulated caller's prompt once.
type promptCache struct {
	once sync.Once
	pcm  []int16
}

// get returns text spoken by espeak-ng at 48 kHz, or two seconds of a
// 440 Hz tone when espeak-ng is not installed.
func (p *promptCache) get(text string) []int16 {
	p.once.Do(func() { p.pcm = device.Speak(text) })
	return p.pcm
}
