package device

import "testing"

func TestBacklogTrimsOnlyStandingDelay(t *testing.T) {
	const period = 480
	tests := []struct {
		name string
		left []int // samples left after each read, repeated to fill a window
		want int   // skipped at the end of the window
	}{
		{"caught up", []int{0, 480}, 0},
		{"less than a period behind", []int{300, 479}, 0},
		{"one frame behind all along", []int{960, 1440}, 960},
		{"behind but caught up once", []int{1920, 1920, 0}, 0},
		{"odd backlog keeps the phase", []int{1500, 1700}, 1440},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBacklog(period)
			got := 0
			for i := 0; i < backlogWindow; i++ {
				got += b.observe(tt.left[i%len(tt.left)])
			}
			if got != tt.want {
				t.Fatalf("skipped %d, want %d", got, tt.want)
			}
			// The next window starts afresh.
			if s := b.observe(0); s != 0 {
				t.Fatalf("first read of the next window skipped %d", s)
			}
		})
	}
}

func TestRingSkip(t *testing.T) {
	q := newRing(16)
	q.write([]int16{1, 2, 3, 4, 5})
	if n := q.skip(3); n != 3 {
		t.Fatalf("skip = %d, want 3", n)
	}
	got := make([]int16, 2)
	q.read(got)
	if got[0] != 4 || got[1] != 5 {
		t.Fatalf("after skip read %v, want [4 5]", got)
	}
	if n := q.skip(10); n != 0 {
		t.Fatalf("skip on empty ring = %d", n)
	}
}
