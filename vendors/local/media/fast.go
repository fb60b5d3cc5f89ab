package media

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/pion/webrtc/v4"

	"github.com/agentty/agentty/audio/rtc/srtpgcm"
	"github.com/agentty/agentty/audio/rtc/srtpkeys"
	"github.com/agentty/agentty/audio/rtc/udpbatch"
	"github.com/agentty/agentty/audio/rtc/udplatch"
)

// A leg's own SRTP. pion hands each packet a leg receives between three
// goroutines (its candidate's read loop, the DTLS/SRTP demux, the SRTP
// session) before rxBuffer sees it: at 1,000 relayed calls those
// hand-offs cost the relay more CPU than a bare UDP loop spends on the
// whole packet (bench/relay/README.md). Instead, each leg catches its
// session's SRTP keys as pion's DTLS server negotiates them (srtpkeys)
// and keeps its own SRTP contexts:
//
//   - in: the tap of the relay's sockets (udpbatch.Tap on the shared
//     ones, udplatch.Tap on a leg's own) takes each SRTP packet as pion's
//     reader reads it, decrypts it and runs onRTP there, on that
//     goroutine: forwarded with no hand-off at all;
//   - out: the leg's relayTrack encrypts what it sends and writes it on
//     the selected pair's socket itself, not through pion's SRTP session
//     and ICE connection.
//
// pion keeps everything else: ICE (its checks and keepalives still go
// through the same sockets), DTLS, RTCP both ways (its SRTCP contexts
// are apart from SRTP's). pion's sending SRTP context never encrypts a
// packet of a leg whose own are armed: the keys are caught during the
// handshake, before pion starts its SRTP session, and both contexts are
// armed at that moment or never (two contexts encrypting one stream by
// turns could reuse a key stream, and one taking over mid-stream would
// have to guess the other's rollover count). The tap takes the leg's
// incoming packets only once pion has fired OnTrack, which a phone that
// does not declare its SSRC makes pion wait for a packet for: the first
// few packets of a call may go through pion's receiving context, the
// rest through the leg's (two receiving contexts on disjoint packets
// share nothing but the key).
//
// A leg keeps pion's path when the centre is the DTLS client (srtpkeys
// cannot catch the server's random; pion's phones and browsers answer as
// the client, which makes the centre the server), when the selected pair
// is not a UDP pair of the relay's sockets, with Config.PionSRTP, and
// with Config.SocketPerLeg and Unlatched.
//
// On the shared sockets (the default) one tap per socket serves every
// leg on it: it finds the leg by the packet's source, the phone's
// address on the selected pair (ownIndex), and before that warms the
// state of the whole batch it has read (warm.go).

// srtpReplayWindow is the in context's replay window, in packets: pion's
// own default for its SRTP sessions, and srtpgcm's.
const srtpReplayWindow = srtpgcm.ReplayWindow

// fastPath is a leg's own SRTP.
type fastPath struct {
	// What every packet reads, first and together (warm.go).
	l     *leg
	rxOn  atomic.Bool
	in    opener                  // the receive side, under l.rxMu; set before rxOn
	route atomic.Pointer[txRoute] // where the leg's packets go

	socket func(local netip.AddrPort) (packetWriter, bool) // the relay's socket on a local address
	index  *ownIndex                                       // the shared sockets' legs by phone; nil with a socket per leg
	keys   srtpkeys.Catcher
	ice    atomic.Pointer[webrtc.ICETransport]

	mu      sync.Mutex // armed, tracked, closed, and every route change
	armed   bool       // the contexts are set
	tracked bool       // OnTrack came: pion may now miss every packet
	closed  bool       // the leg closed: no route from now on
}

// packetWriter is a relay socket: a udplatch.Conn (a socket per leg) or a
// udpbatch.Conn (shared).
type packetWriter interface {
	WriteToAddrPort(b []byte, to netip.AddrPort) (int, error)
}

// txRoute is the selected pair: the relay's socket and the phone's
// address.
type txRoute struct {
	conn   packetWriter
	shared *udpbatch.Conn // conn, when it is a shared socket: a tap's queue can send on it
	to     netip.AddrPort
}

// newLegFastPath installs a leg's own SRTP on its setting engine and
// its own sockets' network.
func newLegFastPath(l *leg, n *udplatch.Net, se *webrtc.SettingEngine) *fastPath {
	f := &fastPath{l: l, socket: func(a netip.AddrPort) (packetWriter, bool) { return n.Conn(a) }}
	f.keys.Install(se, f.keysReady)
	n.SetTap(func(_ *udplatch.Conn, p []byte, _ netip.AddrPort) bool { return maybeRTP(p) && f.take(p, nil) })
	return f
}

// newSharedFastPath installs a leg's own SRTP on its setting engine, for
// a leg on the shared sockets u.
func newSharedFastPath(l *leg, u *sharedUDP, se *webrtc.SettingEngine) *fastPath {
	f := &fastPath{l: l, socket: u.conn, index: &u.own}
	f.keys.Install(se, f.keysReady)
	return f
}

// ownIndex finds a shared socket's armed legs by their phones'
// addresses, for the sockets' taps. The taps read it for every packet
// and legs come and go seldom: a map the taps read without a lock,
// copied on every change (sync.Map's lookup was 6 % of the relay's CPU
// at 1,000 calls).
type ownIndex struct {
	mu sync.Mutex // serialises changes
	m  atomic.Pointer[map[netip.AddrPort]*fastPath]
}

// tap takes an armed leg's SRTP packet from a shared socket's reader.
func (x *ownIndex) tap(p []byte, from netip.AddrPort, q *udpbatch.Queue) bool {
	if !maybeRTP(p) {
		return false
	}
	m := x.m.Load()
	if m == nil {
		return false
	}
	f := (*m)[unmapped(from)]
	return f != nil && f.take(p, q)
}

// move files f under its route's phone address, and no longer under
// old's (rt nil: nowhere).
func (x *ownIndex) move(f *fastPath, old, rt *txRoute) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var cur map[netip.AddrPort]*fastPath
	if p := x.m.Load(); p != nil {
		cur = *p
	}
	next := make(map[netip.AddrPort]*fastPath, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	if old != nil && next[old.to] == f {
		delete(next, old.to)
	}
	if rt != nil {
		next[rt.to] = f
	}
	x.m.Store(&next)
}

func unmapped(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// watch follows the leg's ICE transport's selected pair.
func (f *fastPath) watch(t *webrtc.ICETransport) {
	f.ice.Store(t)
	t.OnSelectedCandidatePairChange(func(p *webrtc.ICECandidatePair) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.armed || f.closed {
			return
		}
		rt, err := f.routeFor(p)
		if err != nil {
			// Keep the old route: the contexts cannot go back to pion.
			f.l.s.cfg.Logger.Warn("media: own SRTP: new pair", "call", f.l.call, "party", f.l.party, "err", err)
			return
		}
		f.setRouteLocked(rt)
	})
}

// setRouteLocked sends the leg's packets on rt from now on, and files
// the leg under rt's phone on the shared sockets. f.mu held.
func (f *fastPath) setRouteLocked(rt *txRoute) {
	old := f.route.Swap(rt)
	if f.index != nil {
		f.index.move(f, old, rt)
	}
}

// close forgets the leg on the shared sockets, for good: a handshake
// that arms it after this files it nowhere.
func (f *fastPath) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	if old := f.route.Load(); old != nil && f.index != nil {
		f.index.move(f, old, nil)
	}
}

// keysReady arms the leg's own SRTP, on pion's handshake goroutine, once
// the keys are known: before the handshake ends, so before pion's SRTP
// session exists.
func (f *fastPath) keysReady() {
	err := f.arm()
	if err != nil {
		f.l.s.cfg.Logger.Debug("media: own SRTP not armed; pion's path", "call", f.l.call, "party", f.l.party, "err", err)
	}
}

func (f *fastPath) arm() error {
	t := f.ice.Load()
	if t == nil {
		return errors.New("no ICE transport")
	}
	p, err := t.GetSelectedCandidatePair()
	if err != nil {
		return err
	}
	rt, err := f.routeFor(p)
	if err != nil {
		return err
	}
	in, out, err := f.contexts()
	if err != nil {
		return err
	}
	f.l.rxMu.Lock()
	f.in = in
	f.l.rxMu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("the leg closed")
	}
	f.setRouteLocked(rt) // before the track can write
	f.l.out.setOwn(&ownTx{seal: out, route: &f.route, ctr: &f.l.ctr})
	f.armed = true
	f.rxOn.Store(f.tracked)
	f.l.s.ownLegs.Add(1)
	return nil
}

// onTrack lets the tap take packets from now on: pion has fired OnTrack
// (for a phone that did not declare its SSRC, on its first packet).
func (f *fastPath) onTrack() {
	f.mu.Lock()
	f.tracked = true
	f.rxOn.Store(f.armed)
	f.mu.Unlock()
}

// routeFor is p's route: the leg's socket on p's local address, p's
// remote address.
func (f *fastPath) routeFor(p *webrtc.ICECandidatePair) (*txRoute, error) {
	if p == nil || p.Local == nil || p.Remote == nil {
		return nil, errors.New("no selected pair")
	}
	if p.Local.Protocol != webrtc.ICEProtocolUDP {
		return nil, fmt.Errorf("a %s pair", p.Local.Protocol)
	}
	la, err := netip.ParseAddr(p.Local.Address)
	if err != nil {
		return nil, fmt.Errorf("local candidate: %w", err)
	}
	ra, err := netip.ParseAddr(p.Remote.Address)
	if err != nil {
		return nil, fmt.Errorf("remote candidate: %w", err)
	}
	c, ok := f.socket(netip.AddrPortFrom(la.Unmap(), p.Local.Port))
	if !ok {
		return nil, fmt.Errorf("no relay socket on %s:%d", p.Local.Address, p.Local.Port)
	}
	shared, _ := c.(*udpbatch.Conn)
	return &txRoute{conn: c, shared: shared, to: netip.AddrPortFrom(ra.Unmap(), p.Remote.Port)}, nil
}

// maybeRTP says whether p is RTP by RFC 7983's first byte (128 to 191)
// and RFC 5761's payload types (RTCP's 64 to 95 stay pion's).
func maybeRTP(p []byte) bool {
	if len(p) < 12 || p[0]&0xc0 != 0x80 {
		return false
	}
	pt := p[1] & 0x7f
	return pt < 64 || pt > 95
}

// take takes the leg's SRTP packet p (maybeRTP) from a socket's reader
// once armed.
// A packet that fails to decrypt (forged, replayed, or not for this
// session) is taken and dropped, as pion would drop it. With a socket
// per leg, any of the leg's sockets and any source: the packet's
// authentication, not its source, says it is the phone's.
func (f *fastPath) take(p []byte, q *udpbatch.Queue) bool {
	if !f.rxOn.Load() {
		return false
	}
	l := f.l
	l.rxMu.Lock()
	defer l.rxMu.Unlock()
	out, err := f.in.open(p)
	if err != nil {
		l.ctr.ownRejected.Add(1)
		return true
	}
	l.rx.queue = q
	l.onRTP(out)
	l.rx.queue = nil
	l.ctr.ownIn.Add(1) // after onRTP's received: a leg retired between the two counts one more received, not one more own
	return true
}
