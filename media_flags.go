package main

import (
	"github.com/spf13/pflag"

	"github.com/agentty/agentty/vendors"
)

// mediaSettings are the audio flags, passed to a backend as
// vendors.Config.Media.
type mediaSettings struct {
	mic, speaker       string
	micWAV, speakerWAV string
	codec              string
}

func addMediaFlags(g *globals, f *pflag.FlagSet) {
	f.StringVar(&g.media.mic, "mic", "", "capture device by name (see 'agentty devices'; default: the system default)")
	f.StringVar(&g.media.speaker, "speaker", "", "playback device by name")
	f.StringVar(&g.media.micWAV, "mic-wav", "", "read the microphone from this WAV file instead of a device")
	f.StringVar(&g.media.speakerWAV, "speaker-wav", "", "write what the speaker would play to this WAV file")
	f.StringVar(&g.media.codec, "codec", "", "preferred codec: opus or pcmu (default: opus, then G.711)")
}

// mediaConfig returns the media settings for a backend.
func (g *globals) mediaConfig() vendors.Media {
	m := g.media
	return vendors.Media{Mic: m.mic, Speaker: m.speaker, MicWAV: m.micWAV, SpeakerWAV: m.speakerWAV, Codec: m.codec}
}

// mediaOptions returns the backend options every backend shares: the role
// for backends that do not tell it.
func (g *globals) mediaOptions() map[string]string {
	return map[string]string{"role": g.role}
}
