package main

import "github.com/spf13/pflag"

// media are the audio settings passed to a backend through
// vendors.Config.Options.
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

// mediaOptions returns the media settings as backend options.
func (g *globals) mediaOptions() map[string]string {
	o := map[string]string{"role": g.role}
	for k, v := range map[string]string{
		"mic": g.media.mic, "speaker": g.media.speaker,
		"mic-wav": g.media.micWAV, "speaker-wav": g.media.speakerWAV, "codec": g.media.codec,
	} {
		if v != "" {
			o[k] = v
		}
	}
	return o
}
