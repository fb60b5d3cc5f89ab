package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Disposition codes: a group's list (and whether one is required before
// done), and the code an agent gave each call segment. They live in
// tables of their own, so a store made before them needs no migration.
const codesSchema = `
CREATE TABLE IF NOT EXISTS group_codes (
	group_id TEXT PRIMARY KEY,
	codes TEXT NOT NULL,
	required INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS call_codes (
	call_id TEXT NOT NULL,
	segment INTEGER NOT NULL,
	agent TEXT NOT NULL,
	code TEXT NOT NULL,
	note TEXT NOT NULL,
	at INTEGER NOT NULL,
	PRIMARY KEY (call_id, segment)
);
`

// GroupCodes are a group's disposition codes.
type GroupCodes struct {
	Codes    []string
	Required bool
}

// SetGroupCodes sets (or, with no codes, clears) a group's codes.
func (s *Store) SetGroupCodes(ctx context.Context, group string, gc GroupCodes) error {
	var err error
	if len(gc.Codes) == 0 {
		_, err = s.db.ExecContext(ctx, `DELETE FROM group_codes WHERE group_id=?`, group)
	} else {
		_, err = s.db.ExecContext(ctx, `INSERT INTO group_codes(group_id, codes, required) VALUES(?,?,?)
			ON CONFLICT(group_id) DO UPDATE SET codes=excluded.codes, required=excluded.required`,
			group, strings.Join(gc.Codes, ","), gc.Required)
	}
	if err != nil {
		return fmt.Errorf("store: codes of group %s: %w", group, err)
	}
	return nil
}

// AllGroupCodes returns every group's codes by group.
func (s *Store) AllGroupCodes(ctx context.Context) (map[string]GroupCodes, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT group_id, codes, required FROM group_codes`)
	if err != nil {
		return nil, fmt.Errorf("store: group codes: %w", err)
	}
	defer rows.Close()
	out := map[string]GroupCodes{}
	for rows.Next() {
		var id, codes string
		var req bool
		if err := rows.Scan(&id, &codes, &req); err != nil {
			return nil, fmt.Errorf("store: group codes: %w", err)
		}
		out[id] = GroupCodes{Codes: strings.Split(codes, ","), Required: req}
	}
	return out, rows.Err()
}

// SetCallCode records the disposition code of one call segment; a second
// code for the segment replaces the first.
func (s *Store) SetCallCode(ctx context.Context, callID string, segment int, agent, code, note string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO call_codes(call_id, segment, agent, code, note, at) VALUES(?,?,?,?,?,?)
		ON CONFLICT(call_id, segment) DO UPDATE SET agent=excluded.agent, code=excluded.code, note=excluded.note, at=excluded.at`,
		callID, segment, agent, code, note, ms(at))
	if err != nil {
		return fmt.Errorf("store: code of call %s/%d: %w", callID, segment, err)
	}
	return nil
}
