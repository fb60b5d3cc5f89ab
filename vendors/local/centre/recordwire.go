package centre

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/store"
)

// Call recording, wired: the engine decides (the group's policy, record
// on|off) and tells the media layer with a MediaRecord operation; the
// media layer writes one stereo file per call id (so a recording spans
// transfers and consultations) and reports each start, pause, end and
// write error to RecordingChanged; the centre stores the file with the
// call's records and the engine shows every party the REC mark. A
// RecordingRetention removes old files in the hourly housekeeping.

// Sweeper is a media layer whose recordings can be swept (the media
// package's *Server is one).
type Sweeper interface {
	SweepRecordings(keep time.Duration, now time.Time) ([]string, error)
}

// recNote is one word from the media layer about a recording.
type recNote struct {
	callID, path string
	on           bool
	err          error
}

// recQueue holds the media layer's words until the engine loop takes them.
type recQueue struct {
	mu sync.Mutex
	q  []recNote
}

// RecordingChanged is the media layer's report on a call's recording
// (media.Config.OnRecording): it started (on), paused or ended, or a write
// error (a full disk) ended it. Safe from any goroutine; it never blocks.
func (s *Server) RecordingChanged(callID, path string, on bool, err error) {
	s.recs.mu.Lock()
	s.recs.q = append(s.recs.q, recNote{callID, path, on, err})
	s.recs.mu.Unlock()
	select {
	case s.work <- func() {}: // wake the loop, which drains after each turn
	default: // the loop is busy and drains at the end of this turn
	}
}

// drainRecordings stores the files and gives the engine the media
// layer's words. Loop only.
func (s *Server) drainRecordings() {
	s.recs.mu.Lock()
	q := s.recs.q
	s.recs.q = nil
	s.recs.mu.Unlock()
	now := s.clock.Now()
	for _, n := range q {
		if n.path != "" {
			if err := s.store.SetCallRecording(s.ctx, n.callID, n.path, now); err != nil {
				s.log.Error("local: recording file not stored", "call", n.callID, "file", n.path, "err", err)
			}
		}
		why := ""
		if n.err != nil {
			why = recordingTrouble(n.err)
			s.log.Warn("local: call recording stopped; the call goes on", "call", n.callID, "file", n.path, "err", n.err)
		}
		s.deliver(s.eng.RecordingChanged(now, n.callID, n.path, n.on, why))
	}
}

// recordingTrouble is the sentence for the person about a recording's
// failure; the log has the chain.
func recordingTrouble(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full: recording stopped, the call goes on"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "the recordings folder cannot be written: recording stopped"
	}
	return "recording stopped: " + err.Error()
}

// sweepRecordings removes recordings past RecordingRetention.
func (s *Server) sweepRecordings(now time.Time) {
	sw, ok := s.media.(Sweeper)
	if !ok || s.cfg.RecordingRetention <= 0 {
		return
	}
	removed, err := sw.SweepRecordings(s.cfg.RecordingRetention, now)
	if err != nil {
		s.log.Warn("local: recordings retention", "err", err)
	}
	if len(removed) > 0 {
		s.log.Info("local: removed old recordings", "files", len(removed), "older_than", s.cfg.RecordingRetention)
	}
}

// loadRecordPolicies gives the engine the stored groups' recording policies.
func (s *Server) loadRecordPolicies(ctx context.Context) error {
	modes, err := s.store.AllGroupRecord(ctx)
	if err != nil {
		return fmt.Errorf("local: server: %w", err)
	}
	for id, m := range modes {
		gc, ok := s.eng.Group(id)
		if !ok {
			continue
		}
		gc.Record = acd.RecordMode(m)
		if err := s.eng.SetGroup(gc); err != nil {
			s.log.Warn("local: stored recording policy ignored", "group", id, "err", err)
		}
	}
	return nil
}

// validRecord checks a GroupSpec's recording policy.
func validRecord(g GroupSpec) error {
	if _, err := acd.ParseRecordMode(g.Record); g.Record != "" && err != nil {
		return fmt.Errorf("local: group %s: record %q: want always, on-demand or never", g.ID, g.Record)
	}
	return nil
}

// setGroupRecord stores a GroupSpec's recording policy.
func setGroupRecord(ctx context.Context, st *store.Store, g GroupSpec) error {
	if g.Record == "" {
		return nil
	}
	return st.SetGroupRecord(ctx, g.ID, g.Record)
}

// recordingCell is the RECORDING column of agentty calls: the file, or
// "-", with "(removed)" once retention or a person deleted it.
func recordingCell(path string) string {
	if path == "" {
		return "-"
	}
	if _, err := os.Stat(path); err != nil {
		return path + " (removed)"
	}
	return path
}

// RecordingLink carries the media layer's recording reports to a server
// made after the media layer: give Report to media.Config.OnRecording and
// the link to ServerConfig.Recordings. Reports before the server exists
// are dropped (no call exists then). Safe for concurrent use.
type RecordingLink struct {
	mu sync.Mutex
	s  *Server
}

// Report is media.Config.OnRecording.
func (l *RecordingLink) Report(callID, path string, on bool, err error) {
	l.mu.Lock()
	s := l.s
	l.mu.Unlock()
	if s != nil {
		s.RecordingChanged(callID, path, on, err)
	}
}

func (l *RecordingLink) bind(s *Server) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.s = s
	l.mu.Unlock()
}
