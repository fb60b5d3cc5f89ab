package media

import "time"

// SweepRecordings removes the recordings in Config.Recordings last
// written more than keep before now (the centre's retention setting; see
// the package function). A recording in progress is written every tick,
// so it is never old enough.
func (s *Server) SweepRecordings(keep time.Duration, now time.Time) ([]string, error) {
	if s.cfg.Recordings == "" {
		return nil, nil
	}
	return SweepRecordings(s.cfg.Recordings, keep, now)
}
