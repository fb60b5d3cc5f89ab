package media

import (
	"sync"
)

// Announcements and music of a plain RTP leg: while the relay plays music
// to the leg's party (waiting in a queue, or held), the leg's own clips
// (prompts) are played in place of the music, one after the other, and
// the leg's own music (a WAV the operator chose) in place of the built-in
// music on hold. All PCM is mono at audio.SampleRate.

// player is an RTPLeg's clips and music. The mixer of the call carrying
// the leg reads it; its owner writes it from any goroutine.
type player struct {
	mu    sync.Mutex
	music []int16 // nil: the built-in music on hold
	mpos  int
	clips []*clip
}

type clip struct {
	pcm  []int16
	pos  int
	done chan struct{}
}

// SetMusic makes pcm (mono, audio.SampleRate, looped) what the leg hears
// in place of the built-in music on hold; nil restores the built-in one.
// Safe from any goroutine.
func (r *RTPLeg) SetMusic(pcm []int16) {
	r.player.mu.Lock()
	r.player.music, r.player.mpos = pcm, 0
	r.player.mu.Unlock()
}

// Play queues clips (mono, audio.SampleRate) to be played in place of the
// music, the next time and for as long as the leg hears music, after any
// queued before. The channel is closed when the last of them has been
// played, or dropped by ClearClips. Safe from any goroutine.
func (r *RTPLeg) Play(clips ...[]int16) <-chan struct{} {
	done := make(chan struct{})
	r.player.mu.Lock()
	defer r.player.mu.Unlock()
	var last *clip
	for _, pcm := range clips {
		if len(pcm) == 0 {
			continue
		}
		last = &clip{pcm: pcm}
		r.player.clips = append(r.player.clips, last)
	}
	if last == nil {
		close(done)
	} else {
		last.done = done
	}
	return done
}

// ClearClips drops the clips not yet played (an agent answered). Safe
// from any goroutine.
func (r *RTPLeg) ClearClips() {
	r.player.mu.Lock()
	defer r.player.mu.Unlock()
	for _, c := range r.player.clips {
		if c.done != nil {
			close(c.done)
		}
	}
	r.player.clips = nil
}

// Playing reports whether clips are queued or playing.
func (r *RTPLeg) Playing() bool {
	r.player.mu.Lock()
	defer r.player.mu.Unlock()
	return len(r.player.clips) > 0
}

// fill writes the leg's next frame of what it hears in place of the
// built-in music: a clip's, else its own music's. It reports false when
// the leg has neither (the built-in music plays). Mixer only.
func (p *player) fill(frame []int16) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.clips) > 0 {
		c := p.clips[0]
		n := copy(frame, c.pcm[c.pos:])
		clear(frame[n:])
		c.pos += n
		if c.pos >= len(c.pcm) {
			if c.done != nil {
				close(c.done)
			}
			p.clips[0] = nil
			p.clips = p.clips[1:]
		}
		return true
	}
	if len(p.music) == 0 {
		return false
	}
	for n := 0; n < len(frame); {
		k := copy(frame[n:], p.music[p.mpos:])
		n += k
		p.mpos = (p.mpos + k) % len(p.music)
	}
	return true
}

// ownMusic is the frame listener o hears in place of the built-in music,
// or nil. Mixer only.
func ownMusic(o mixOut, buf []int16) []int16 {
	if o.to.rtp != nil && o.to.rtp.player.fill(buf) {
		return buf
	}
	return nil
}
