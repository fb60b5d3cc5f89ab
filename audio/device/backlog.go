package device

// backlogWindow is how many reads the capture backlog is watched over
// before standing backlog is trimmed (25 frames: half a second).
const backlogWindow = 25

// backlog watches how much capture audio is left waiting after each read.
// A reader that was held up once (a busy machine, a slow send) would
// otherwise stay that far behind the microphone for the rest of the call:
// the sound card delivers exactly one frame per frame period, so a backlog
// never drains by itself, and every sample of it is mouth-to-ear delay.
// When for a whole window the backlog never fell below a period's worth of
// samples, that floor is delay nobody needs and trim says to skip it (in
// whole periods, so the device's delivery phase is kept).
type backlog struct {
	period int // samples per device period
	min    int
	reads  int
}

func newBacklog(period int) backlog { return backlog{period: period, min: 1 << 30} }

// observe records the samples left after a read and returns how many of
// the oldest to skip now (0 almost always).
func (b *backlog) observe(left int) int {
	b.min = min(b.min, left)
	b.reads++
	if b.reads < backlogWindow {
		return 0
	}
	skip := b.min / b.period * b.period
	b.min, b.reads = 1<<30, 0
	return min(skip, left)
}
