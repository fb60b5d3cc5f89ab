package media

import (
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"

	"github.com/agentty/agentty/audio/rtc/srtpgcm"
	"github.com/agentty/agentty/audio/rtc/srtpkeys"
	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

// A leg's own SRTP contexts (fast.go) and what its track sends with them.

// opener decrypts a leg's incoming SRTP packets; sealer encrypts its
// outgoing ones. srtpgcm's Contexts for the AES-GCM profiles (what
// pion's phones and browsers negotiate first), pion's for the others.
type (
	opener interface {
		open(p []byte) ([]byte, error) // p's storage may be used
		warm() int                     // reads what open reads first (warm.go)
	}
	sealer interface {
		seal(dst []byte, h *rtp.Header, payload []byte) ([]byte, error)
		warm() int // reads what seal reads first (warm.go)
	}
)

// contexts makes the leg's contexts from the keys caught.
func (f *fastPath) contexts() (opener, sealer, error) {
	profile, keys, err := f.keys.Keys()
	if err != nil {
		return nil, nil, err
	}
	if srtpgcm.Supports(profile) {
		in, err := srtpgcm.New(profile, keys.RemoteMasterKey, keys.RemoteMasterSalt)
		if err != nil {
			return nil, nil, err
		}
		out, err := srtpgcm.New(profile, keys.LocalMasterKey, keys.LocalMasterSalt)
		if err != nil {
			return nil, nil, err
		}
		f.l.s.ownGCMLegs.Add(1)
		return gcmContext{in}, gcmContext{out}, nil
	}
	in, out, err := srtpkeys.PionContexts(profile, keys, srtpReplayWindow)
	if err != nil {
		return nil, nil, err
	}
	return &pionContext{c: in}, &pionContext{c: out}, nil
}

type gcmContext struct{ c *srtpgcm.Context }

// open decrypts in place: the packet is the reader's, and its buffer is
// already in the cache.
func (g gcmContext) open(p []byte) ([]byte, error) { return g.c.Open(p[:0], p) }
func (g gcmContext) seal(dst []byte, h *rtp.Header, payload []byte) ([]byte, error) {
	return g.c.Seal(dst, h, payload)
}
func (g gcmContext) warm() int { return g.c.Warm() }

// pionContext is one of pion's SRTP contexts as an opener or a sealer.
type pionContext struct {
	c     *srtp.Context
	hdr   rtp.Header
	plain []byte // sealing's, or opening's
}

// warm does nothing: pion's contexts are for the profiles phones and
// browsers seldom pick, and nothing of them is safe to read beside them.
func (c *pionContext) warm() int { return 0 }

func (c *pionContext) open(p []byte) ([]byte, error) {
	if cap(c.plain) < len(p) {
		c.plain = make([]byte, 0, max(1500, len(p)))
	}
	return c.c.DecryptRTP(c.plain[:0], p, &c.hdr)
}

func (c *pionContext) seal(dst []byte, h *rtp.Header, payload []byte) ([]byte, error) {
	n := h.MarshalSize()
	if cap(c.plain) < n+len(payload) {
		c.plain = make([]byte, 0, max(1500, n+len(payload)))
	}
	plain := c.plain[:n+len(payload)]
	if _, err := h.MarshalTo(plain); err != nil {
		return nil, err
	}
	copy(plain[n:], payload)
	return c.c.EncryptRTP(dst[:0], plain, &c.hdr)
}

// ownTx is a relayTrack's own SRTP: under the track's lock.
type ownTx struct {
	seal   sealer
	route  *atomic.Pointer[txRoute]
	ctr    *legCounters // the leg's
	sealed []byte
}

// write encrypts one packet and sends it on the selected pair: through
// q when it goes out on a shared socket (a tap's queue; nil: none), else
// at once. A queued packet the kernel refuses later counts in the socket's
// udpbatch.Stats, not in the leg's writeErrs.
func (o *ownTx) write(h *rtp.Header, payload []byte, q *udpbatch.Queue) error {
	rt := o.route.Load()
	if q != nil && rt.shared != nil {
		sealed, err := o.seal.seal(q.Buffer(), h, payload)
		if err != nil {
			return err
		}
		q.Add(rt.shared, sealed, rt.to)
		o.ctr.ownOut.Add(1)
		return nil
	}
	sealed, err := o.seal.seal(o.sealed, h, payload)
	if err != nil {
		return err
	}
	o.sealed = sealed[:0]
	if _, err := rt.conn.WriteToAddrPort(sealed, rt.to); err != nil {
		return err
	}
	o.ctr.ownOut.Add(1)
	return nil
}
