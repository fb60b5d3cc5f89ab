//go:build !(cgo && nolibopusfile)

package audio

// NewOpus reports ErrOpusUnavailable: this binary was built without cgo or
// without -tags nolibopusfile, so only G.711 is offered.
func NewOpus() (Codec, error) { return nil, ErrOpusUnavailable }

// OpusAvailable reports whether this binary carries Opus.
const OpusAvailable = false
