package media

import (
	"net/netip"

	"github.com/agentty/agentty/audio/rtc/udpbatch"
)

// Warming a batch. At 1,000 relayed calls every packet of the shared
// sockets belongs to one of 2,000 legs, and the state it reads (the
// index entry, the leg, its SRTP context and AES-GCM key, the route, the
// leg it goes to, that leg's track, its context and key, the pair it is
// sent on) is out of the cache: a dozen loads, each waiting for the one
// before, about 2 µs of a packet's 9 in the relay's profile. A socket's
// reader gets its packets by the batch (a recvmmsg reads 13 to 26 at
// 1,000 calls), so before it takes the first, warm steps through the
// batch's legs one hop at a time: the first hop for every packet, then
// the next for every packet, and so on. The loads of one hop are independent, so
// the processor has the whole batch's misses in flight at once, and the
// packets then find their state in the cache.
//
// warm only reads, and only what is atomic or fixed once set: the work
// itself (take, onRTP, relayTrack.write) stays as it is, under its locks.

// warm reads the state the packets from these senders will read, and
// returns a sum of it for the socket to keep, so that no load is dropped.
func (x *ownIndex) warm(from []netip.AddrPort) uintptr {
	m := x.m.Load()
	if m == nil {
		return 0
	}
	var (
		fs   [udpbatch.Batch]*fastPath
		rts  [udpbatch.Batch]*route
		ts   [udpbatch.Batch]*relayTrack
		txs  [udpbatch.Batch]*ownTx
		sum  uintptr
		n, k int
	)
	// The index and the receiving legs' fastPaths.
	for _, a := range from {
		if f := (*m)[unmapped(a)]; f != nil && f.rxOn.Load() && n < len(fs) {
			fs[n] = f
			n++
		}
	}
	// The receiving legs, and their contexts.
	for i := range n {
		rts[i] = fs[i].l.route.Load()
	}
	for i := range n {
		sum += uintptr(fs[i].in.warm())
	}
	// Where each packet goes: the legs it is forwarded to.
	for i := range n {
		if rts[i] == nil {
			continue
		}
		for _, d := range rts[i].fwd {
			if k < len(ts) {
				ts[k] = d.out
				k++
			}
		}
	}
	// Their tracks, contexts and pairs.
	for j := range k {
		txs[j] = ts[j].own.Load()
	}
	for j := range k {
		if o := txs[j]; o != nil {
			sum += uintptr(o.seal.warm())
		}
	}
	for j := range k {
		if o := txs[j]; o != nil {
			if rt := o.route.Load(); rt != nil {
				sum += uintptr(rt.to.Port())
			}
		}
	}
	return sum
}
