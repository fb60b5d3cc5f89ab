package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/agentty/agentty/audio"
	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/rtc"
	"github.com/agentty/agentty/session"
)

// The soak's media: every agent and kiosk is a local.MediaClient, the
// console's own client with its phone, whose device plays a tone into the
// call and discards what it hears, both at real time. While a call talks
// the client samples its phone's quality for the call; the last sample of
// each call is its figure (packets received and expected, loss, MOS).

// toneDevice is a paced device: its microphone is a tone, its speaker
// discards.
type toneDevice struct {
	*device.Null
	mu   sync.Mutex
	tone audio.Tone
}

func newToneDevice(hz float64) *toneDevice {
	return &toneDevice{Null: device.NewNull(true), tone: audio.Tone{Freqs: []float64{hz}, Amplitude: 0.2}}
}

func (d *toneDevice) ReadFrame(ctx context.Context, f []int16) error {
	if err := d.Null.ReadFrame(ctx, f); err != nil {
		return err
	}
	d.mu.Lock()
	d.tone.Fill(f)
	d.mu.Unlock()
	return nil
}

// callMedia is one side's figure for one call.
type callMedia struct {
	received, expected, lost int64
	mos                      float64
}

// mediaStats gathers the calls' figures, per side ("agent", "kiosk").
type mediaStats struct {
	mu    sync.Mutex
	calls map[string]map[string]callMedia // side -> call id -> last sample
	lost  map[string]map[string]int       // side -> call id -> call.media lost events
}

func newMediaStats() *mediaStats {
	return &mediaStats{calls: map[string]map[string]callMedia{"agent": {}, "kiosk": {}},
		lost: map[string]map[string]int{"agent": {}, "kiosk": {}}}
}

// sample records q as call id's latest figure on side.
func (m *mediaStats) sample(side, id string, q rtc.QualityReport) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[side][id] = callMedia{received: q.Received, expected: q.Expected, lost: q.Lost, mos: q.MOS}
}

// event counts the media events a client saw.
func (m *mediaStats) event(side string, e session.Event) {
	if cm, ok := e.(session.CallMedia); ok && cm.State == session.MediaLost {
		m.mu.Lock()
		m.lost[side][cm.CallID]++
		m.mu.Unlock()
	}
}

// sampleCalls records the quality of c's talking calls.
func (m *mediaStats) sampleCalls(side string, c *client, s session.State) {
	for _, call := range s.Calls {
		if call.Phase != session.PhaseTalking {
			continue
		}
		if q, ok := c.cl.Phone.Quality(call.ID); ok && q.Expected > 0 {
			m.sample(side, call.ID, q)
		}
	}
}

// report prints one line per side: calls with media, packets per call
// (min, median, max), loss over all calls and its worst call, MOS, calls
// that heard nothing (and how many of those a restart cut, or were hung
// up within a second, before media could start), and call.media lost
// events (and how many were on calls a restart cut).
func (m *mediaStats) report(answered, cut map[string]bool, talk map[string]time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, side := range []string{"kiosk", "agent"} {
		var pk []int64
		var recv, exp, lost int64
		var worst, mos float64
		for _, c := range m.calls[side] {
			pk = append(pk, c.received)
			recv, exp, lost = recv+c.received, exp+c.expected, lost+c.lost
			if c.expected > 0 {
				worst = max(worst, float64(c.lost)/float64(c.expected))
			}
			mos += c.mos
		}
		silent, silentCut, silentShort := 0, 0, 0
		for id := range answered {
			if _, ok := m.calls[side][id]; !ok {
				silent++
				switch {
				case cut[id]:
					silentCut++
				case talk[id] < time.Second:
					silentShort++
				}
			}
		}
		lostEv, lostCut := 0, 0
		for id, n := range m.lost[side] {
			lostEv += n
			if cut[id] {
				lostCut += n
			}
		}
		if len(pk) == 0 {
			fmt.Printf("media (%s side): no call carried packets; answered calls without media %d\n", side, silent)
			continue
		}
		slices.Sort(pk)
		fmt.Printf("media (%s side): %d calls with packets (per call min %d, median %d, max %d), %d received of %d expected, loss %.2f%% (worst call %.2f%%), mean MOS %.2f; answered calls without media %d (%d cut by a restart, %d hung up within 1 s); call.media lost events %d (%d on calls cut by a restart)\n",
			side, len(pk), pk[0], pk[len(pk)/2], pk[len(pk)-1], recv, exp, 100*float64(lost)/float64(max(exp, 1)), 100*worst, mos/float64(len(pk)), silent, silentCut, silentShort, lostEv, lostCut)
	}
}

// mediaEvery is how often a client samples its calls' quality.
const mediaEvery = 100 * time.Millisecond
