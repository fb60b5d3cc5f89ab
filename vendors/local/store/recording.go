package store

import (
	"context"
	"fmt"
	"time"
)

// Call recording: each group's policy (always, on-demand, never) and the
// file of each recorded call. They live in tables of their own, so a store
// made before them needs no migration.
const recordingSchema = `
CREATE TABLE IF NOT EXISTS group_record (
	group_id TEXT PRIMARY KEY,
	mode TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS call_recordings (
	call_id TEXT PRIMARY KEY,
	path TEXT NOT NULL,
	at INTEGER NOT NULL
);
`

// SetGroupRecord sets a group's recording policy ("" removes it: the
// default, on-demand).
func (s *Store) SetGroupRecord(ctx context.Context, group, mode string) error {
	var err error
	if mode == "" {
		_, err = s.db.ExecContext(ctx, `DELETE FROM group_record WHERE group_id=?`, group)
	} else {
		_, err = s.db.ExecContext(ctx, `INSERT INTO group_record(group_id, mode) VALUES(?,?)
			ON CONFLICT(group_id) DO UPDATE SET mode=excluded.mode`, group, mode)
	}
	if err != nil {
		return fmt.Errorf("store: recording policy of group %s: %w", group, err)
	}
	return nil
}

// AllGroupRecord returns every group's recording policy by group.
func (s *Store) AllGroupRecord(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT group_id, mode FROM group_record`)
	if err != nil {
		return nil, fmt.Errorf("store: recording policies: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, mode string
		if err := rows.Scan(&id, &mode); err != nil {
			return nil, fmt.Errorf("store: recording policies: %w", err)
		}
		out[id] = mode
	}
	return out, rows.Err()
}

// SetCallRecording records the file of a call's recording (one per call,
// across its segments).
func (s *Store) SetCallRecording(ctx context.Context, callID, path string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO call_recordings(call_id, path, at) VALUES(?,?,?)
		ON CONFLICT(call_id) DO UPDATE SET path=excluded.path`, callID, path, ms(at))
	if err != nil {
		return fmt.Errorf("store: recording of call %s: %w", callID, err)
	}
	return nil
}
