package contacts

import "testing"

// TestCarriedCheckpointNeverPassesABatchOutsideTheIndex: a batch carries
// the checkpoint after the newest batch that is in the index with all the
// batches before it, never one after a batch still being built.
func TestCarriedCheckpointNeverPassesABatchOutsideTheIndex(t *testing.T) {
	mk := func(off int64, in bool) *flight {
		f := &flight{introduced: make(chan struct{}), cp: checkpoint{Offset: off}}
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
