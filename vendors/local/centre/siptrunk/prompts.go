package siptrunk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/session"
)

// What a SIP caller hears besides the agent: the operator's music in
// place of the built-in music on hold, a prompt before the centre hangs up
// when nobody serves the group (NoAgentsPrompt), and, while queued, its
// place in the queue and the humanized wait (the estimate the kiosk
// shows, from the ACD's queue.joined and queue.updated), on entry and
// every Prompts.Every, between the music. The relay plays them all (a
// plain RTP leg's clips and music, vendors/local/media/announce.go), so
// they reach the caller in its own codec, over SRTP when negotiated.

// NoAgentsPrompt answers a call nobody can take, plays Prompts.NoAgents
// and hangs up (BYE); the record says no_agents.
const NoAgentsPrompt = "prompt"

// DefaultNoAgentsText is what the built-in no-agents prompt says (espeak-ng
// when installed, else a tone).
const DefaultNoAgentsText = "Sorry, nobody can take your call at the moment. Please call again later. Goodbye."

// DefaultPromptEvery is how often the position and wait prompts repeat.
const DefaultPromptEvery = 30 * time.Second

// Prompts are the audio a caller hears from the centre; all PCM is mono
// at audio.SampleRate (LoadPrompts reads WAV files of any rate).
type Prompts struct {
	// Music replaces the built-in music on hold (queue and hold); nil:
	// the built-in one.
	Music []int16
	// NoAgents is the prompt of NoAgentsPrompt; nil: DefaultNoAgentsText
	// spoken.
	NoAgents []int16
	// Position[n] says the caller is number n in the queue; PositionMore
	// a place past the highest n given (nil: nothing is said then).
	Position     map[int][]int16
	PositionMore []int16
	// Wait[m] says the wait in minutes as session.Humanize rounds it: 0
	// "under a minute", m "about m minutes", 60 "about an hour", 120
	// "about 2 hours". The nearest m given is said; nothing while the
	// estimate is unknown.
	Wait map[int][]int16
	// Every repeats the position and wait prompts (default
	// DefaultPromptEvery).
	Every time.Duration
}

// queued reports whether any position or wait prompt is given.
func (p *Prompts) queued() bool {
	return len(p.Position) > 0 || len(p.PositionMore) > 0 || len(p.Wait) > 0
}

// clipsFor returns what a caller at pos with wait hears: its place, then
// the wait, each when given.
func (p *Prompts) clipsFor(pos int, wait session.Seconds) [][]int16 {
	var out [][]int16
	if pos > 0 {
		if c, ok := p.Position[pos]; ok {
			out = append(out, c)
		} else if p.PositionMore != nil && pos > maxKey(p.Position) {
			out = append(out, p.PositionMore)
		}
	}
	if m, ok := waitMinutes(wait); ok && len(p.Wait) > 0 {
		out = append(out, p.Wait[nearestKey(p.Wait, m)])
	}
	return out
}

// waitMinutes is wait in minutes as session.Humanize says it: 0 under a
// minute, rounded minutes up to 49, then 60 for about an hour and whole
// hours after that. ok is false when the estimate is unknown.
func waitMinutes(wait session.Seconds) (int, bool) {
	if !wait.Known() {
		return 0, false
	}
	d := wait.D()
	switch {
	case d < time.Minute:
		return 0, true
	case d < 49*time.Minute+30*time.Second:
		return max(1, int((d+30*time.Second)/time.Minute)), true
	case d < 90*time.Minute:
		return 60, true
	}
	return int((d+30*time.Minute)/time.Hour) * 60, true
}

func maxKey(m map[int][]int16) int {
	k := 0
	for n := range m {
		k = max(k, n)
	}
	return k
}

// nearestKey is the key of m nearest to n (the larger on a tie).
func nearestKey(m map[int][]int16, n int) int {
	best, bestD := -1, -1
	for k := range m {
		d := k - n
		if d < 0 {
			d = -d
		}
		if bestD < 0 || d < bestD || (d == bestD && k > best) {
			best, bestD = k, d
		}
	}
	return best
}

// PromptFiles names the WAV files of Prompts.
type PromptFiles struct {
	Music    string // music on hold
	NoAgents string // the no-agents prompt
	// Dir holds position-N.wav (N from 1), position-more.wav and
	// wait-M.wav (M minutes, as Prompts.Wait).
	Dir   string
	Every time.Duration
}

var promptName = regexp.MustCompile(`^(position|wait)-([0-9]{1,4}|more)\.wav$`)

// LoadPrompts reads the files, resampled to audio.SampleRate and mixed
// down to mono. An error names the file.
func LoadPrompts(f PromptFiles) (Prompts, error) {
	p := Prompts{Every: f.Every}
	var err error
	if f.Music != "" {
		if p.Music, err = loadWAV(f.Music); err != nil {
			return p, err
		}
	}
	if f.NoAgents != "" {
		if p.NoAgents, err = loadWAV(f.NoAgents); err != nil {
			return p, err
		}
	}
	if f.Dir == "" {
		return p, nil
	}
	ents, err := os.ReadDir(f.Dir)
	if err != nil {
		return p, fmt.Errorf("siptrunk: prompts_dir: %w", err)
	}
	p.Position, p.Wait = map[int][]int16{}, map[int][]int16{}
	for _, e := range ents {
		m := promptName.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		pcm, err := loadWAV(filepath.Join(f.Dir, e.Name()))
		if err != nil {
			return p, err
		}
		n, _ := strconv.Atoi(m[2])
		switch {
		case m[1] == "position" && m[2] == "more":
			p.PositionMore = pcm
		case m[1] == "position" && n > 0:
			p.Position[n] = pcm
		case m[1] == "wait" && m[2] != "more":
			p.Wait[n] = pcm
		default:
			return p, fmt.Errorf("siptrunk: prompts_dir: %s: want position-N.wav (N from 1), position-more.wav or wait-M.wav", filepath.Join(f.Dir, e.Name()))
		}
	}
	if !p.queued() {
		return p, fmt.Errorf("siptrunk: prompts_dir %s: no position-N.wav, position-more.wav or wait-M.wav in it", f.Dir)
	}
	return p, nil
}

// loadWAV reads a 16-bit PCM WAV file of any rate as mono at
// audio.SampleRate.
func loadWAV(path string) ([]int16, error) {
	pcm, err := device.LoadWAV(path)
	if err != nil {
		if u := errors.Unwrap(err); u != nil {
			err = u // device's wrapping names the path again
		}
		return nil, fmt.Errorf("siptrunk: %s: %w", path, err)
	}
	if len(pcm) == 0 {
		return nil, fmt.Errorf("siptrunk: %s: no audio in it", path)
	}
	return pcm, nil
}

// promptState is a call's queue place and prompt state.
type promptState struct {
	pos      atomic.Int64
	wait     atomic.Int64 // session.Seconds
	noAgents atomic.Bool  // playing the no-agents prompt: a leave ends the call as no_agents
}

// queueEvent notes the caller's place and wait, and stops prompting when
// an agent answers. Engine goroutine.
func (c *inCall) queueEvent(e session.Event) {
	switch e := e.(type) {
	case session.QueueJoined:
		c.pr.pos.Store(int64(e.Position))
		c.pr.wait.Store(int64(e.EstimatedWait))
	case session.QueueUpdated:
		c.pr.pos.Store(int64(e.Position))
		c.pr.wait.Store(int64(e.EstimatedWait))
	case session.CallAnswered:
		c.rl.ClearClips()
		c.ear.agentAnswered()
	}
}

// preparePrompts gives a new call's leg the operator's music.
func (t *Trunk) preparePrompts(c *inCall) {
	c.pr.wait.Store(int64(session.Unknown))
	c.ear.init()
	if t.cfg.Prompts.Music != nil {
		c.rl.SetMusic(t.cfg.Prompts.Music)
	}
}

// startPrompts tells a queued caller its place and wait now and every
// Prompts.Every until an agent answers or the call ends. Its goroutine is
// the call's (it ends with c.done).
func (c *inCall) startPrompts() {
	p := &c.t.cfg.Prompts
	if !p.queued() || c.t.cfg.Relay == nil {
		return
	}
	c.t.wg.Add(1)
	go func() {
		defer c.t.wg.Done()
		tick := time.NewTicker(p.Every)
		defer tick.Stop()
		for {
			if c.talked.Load() {
				return
			}
			if !c.rl.Playing() { // the last one said in full first
				c.rl.Play(p.clipsFor(int(c.pr.pos.Load()), session.Seconds(c.pr.wait.Load()))...)
			}
			select {
			case <-c.done:
				return
			case <-c.t.ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// playNoAgents answers a call nobody can take, plays the no-agents prompt
// and hangs up (BYE); with AnswerEarly it plays it as early media (183)
// and then refuses the INVITE with 480. The record says no_agents (also
// when the caller hangs up or cancels first).
func (t *Trunk) playNoAgents(c *inCall, tx sip.ServerTransaction, body []byte) {
	c.setOutcome("no_agents")
	c.pr.noAgents.Store(true)
	early := t.cfg.Answer == AnswerEarly
	var cancelled, txDone <-chan struct{} // nil unless early: never ready
	if early {
		cancelled, txDone = cancels(tx), tx.Done()
		if err := c.progress(body); err != nil {
			t.log.Info("siptrunk: caller gone before early media", "from", c.from, "err", err)
			c.leave(false)
			return
		}
	} else if !t.answer(c, body) {
		return
	}
	t.log.Info("siptrunk: nobody serves the group, prompt then hang up", "from", c.from, "party", c.partyID(), "early", early)
	clip := t.cfg.Prompts.NoAgents
	done := c.rl.Play(clip)
	limit := time.NewTimer(time.Duration(len(clip))*time.Second/audio.SampleRate + 10*time.Second)
	defer limit.Stop()
	select {
	case <-done:
	case <-limit.C:
		t.log.Warn("siptrunk: no-agents prompt not played in time", "party", c.partyID())
	case <-c.done:
		return // the caller hung up
	case <-cancelled:
		c.leave(false)
		return
	case <-txDone:
		c.leave(false)
		return
	case <-t.ctx.Done():
	}
	if early {
		_ = c.sess.Respond(480, "Temporarily Unavailable", nil)
	}
	c.leave(!early)
}

// endNoAgents ends a call in the engine as no_agents (instead of the
// caller's leave) while its no-agents prompt plays; it reports whether it
// did.
func (c *inCall) endNoAgents(id string) bool {
	if !c.pr.noAgents.Load() {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.t.cfg.Centre.TrunkEnd(ctx, id, "no_agents"); err != nil {
		c.t.log.Debug("siptrunk: no agents", "party", id, "err", err)
	}
	return true
}

// builtInNoAgents is the spoken no-agents prompt, with a short silence
// after it so that its end is sent before the BYE.
func builtInNoAgents() []int16 {
	return append(device.Speak(DefaultNoAgentsText), make([]int16, audio.SampleRate/4)...)
}
