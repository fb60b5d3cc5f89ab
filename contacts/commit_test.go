package contacts

import (
	"math/rand/v2"
	"testing"
)

// TestCarriedCheckpointNeverPassesABatchOutsideTheIndex: a batch carries
// the checkpoint after the newest batch that is in the index with all the
// batches before it, never one after a batch still being built.
func TestCarriedCheckpointNeverPassesABatchOutsideTheIndex(t *testing.T) {
	mk := func(off int64, in bool) *flight {
		f := &flight{introduced: make(chan struct{}), cp: checkpoint{Offset: off}, carries: off == 150}
		if in {
			close(f.introduced)
		}
		return f
	}
	landed := &checkpoint{Offset: 50}
	tests := []struct {
		name    string
		landed  *checkpoint
		carried *checkpoint
		flights []*flight
		want    int64 // -1: carry nothing
	}{
		{"nothing yet", nil, nil, nil, -1},
		{"first batch still building", nil, nil, []*flight{mk(100, false)}, -1},
		{"first batch in", nil, nil, []*flight{mk(100, true)}, 100},
		{"both in", nil, nil, []*flight{mk(100, true), mk(200, true)}, 200},
		{"second in before the first", nil, nil, []*flight{mk(100, false), mk(200, true)}, -1},
		{"second in before the first, an older one persisted", landed, nil, []*flight{mk(100, false), mk(200, true)}, 50},
		{"persisted one already carried", landed, landed, []*flight{mk(100, false)}, -1},
		{"first in, already carried", nil, &checkpoint{Offset: 100}, []*flight{mk(100, true), mk(200, false)}, -1},
		// The flight at 150 carries a checkpoint (an older one): bleve
		// may introduce it after this batch.
		{"an older carrier still building", landed, nil, []*flight{mk(150, false)}, -1},
		{"an older carrier in", landed, nil, []*flight{mk(150, true)}, 150},
	}
	for _, tt := range tests {
		im := &importer{landed: tt.landed, carried: tt.carried, flights: tt.flights}
		got := im.introducedCheckpoint()
		switch {
		case tt.want < 0 && got != nil:
			t.Errorf("%s: carries the checkpoint at %d, want none", tt.name, got.Offset)
		case tt.want >= 0 && (got == nil || got.Offset != tt.want):
			t.Errorf("%s: carries %+v, want the checkpoint at %d", tt.name, got, tt.want)
		}
	}
}

// TestCheckpointOnDiskNeverGoesBack: two batches in flight may be
// introduced into the index in either order, and the checkpoint the index
// holds is the one written by the batch introduced last. Whatever the
// order, it never moves back, and never passes a batch that is not in the
// index. It also moves on: a third of the batches at least carry one (in
// these orders, 26 to 60 of 60).
func TestCheckpointOnDiskNeverGoesBack(t *testing.T) {
	for _, lag := range []bool{false, true} {
		for seed := range uint64(200) {
			checkIntroductionOrder(t, lag, rand.New(rand.NewPCG(seed, 1)))
		}
	}
}

func checkIntroductionOrder(t *testing.T, lag bool, r *rand.Rand) {
	t.Helper()
	im := &importer{}
	carries := map[*flight]*checkpoint{}
	var all []*flight
	var disk int64
	introduce := func(f *flight) {
		select {
		case <-f.introduced:
			return
		default:
		}
		close(f.introduced)
		cp := carries[f]
		if cp == nil {
			return
		}
		if cp.Offset < disk {
			t.Fatalf("lag %v: the checkpoint in the index went back from %d to %d", lag, disk, cp.Offset)
		}
		disk = cp.Offset
		for _, g := range all {
			select {
			case <-g.introduced:
			default:
				if g.cp.Offset <= disk {
					t.Fatalf("lag %v: the checkpoint at %d passes the batch up to %d, not in the index", lag, disk, g.cp.Offset)
				}
			}
		}
	}
	const n = 60
	carried := 0
	for k := range n {
		for len(im.flights) >= batchesInFlight {
			f := im.flights[0] // waitOldest: persisted, so introduced
			introduce(f)
			im.flights = im.flights[1:]
			im.landed = &f.cp
		}
		f := &flight{introduced: make(chan struct{}), cp: checkpoint{Offset: int64(k+1) * 100, Seq: k + 1}}
		carry := im.nextCarry(f, lag)
		f.carries = carry != nil
		if carry != nil {
			im.carried = carry
			carried++
		}
		carries[f] = carry
		im.flights = append(im.flights, f)
		all = append(all, f)
		// bleve introduces any of the flights, in any order, or none yet.
		for _, g := range im.flights {
			if r.IntN(3) == 0 {
				introduce(g)
			}
		}
	}
	if carried < n/3 {
		t.Errorf("lag %v: %d of %d batches carried a checkpoint", lag, carried, n)
	}
}
