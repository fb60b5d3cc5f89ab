package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// liveSchema keeps the calls in progress and the centre's last sign of
// life, so that a restart can close what a crash left open.
const liveSchema = `
CREATE TABLE IF NOT EXISTS live_calls (
	call_id TEXT PRIMARY KEY,
	segment INTEGER NOT NULL,
	from_party TEXT NOT NULL,
	to_party TEXT NOT NULL,
	grp TEXT NOT NULL,
	agent TEXT NOT NULL,
	queued INTEGER NOT NULL,
	answered INTEGER NOT NULL,
	wait_ms INTEGER NOT NULL,
	talk_ms INTEGER NOT NULL,
	seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
	key TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
`

// NoteRestarted is the note of a call record closed at a restart: the call
// was live when the centre stopped.
const NoteRestarted = "centre restarted"

func migrateLive(db *sql.DB) error {
	if _, err := db.Exec(liveSchema); err != nil {
		return err
	}
	if _, err := db.Exec(`SELECT note FROM calls LIMIT 0`); err != nil {
		if _, err := db.Exec(`ALTER TABLE calls ADD COLUMN note TEXT NOT NULL DEFAULT ''`); err != nil {
			return err
		}
	}
	return nil
}

// PutLiveCalls replaces the stored calls in progress with live (records as
// they stand at now: Ended is now) and notes now as the centre's last sign
// of life and seq as the newest call number handed out.
func (s *Store) PutLiveCalls(ctx context.Context, live []CallRecord, seq uint64, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM live_calls`); err != nil {
			return err
		}
		if len(live) == 0 {
			return putMeta(tx, map[string]int64{"alive_at": now.UnixMilli(), "call_seq": int64(seq)})
		}
		// One statement for every row: SQLite parsed the INSERT afresh for
		// each one, and the centre rewrites the live calls on every call
		// event (most of its engine's time under a burst of calls).
		ins, err := tx.Prepare(`INSERT INTO live_calls(call_id, segment, from_party, to_party, grp, agent,
			queued, answered, wait_ms, talk_ms, seen) VALUES(?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, r := range live {
			if _, err := ins.Exec(r.CallID, r.Segment, r.From, r.To, r.Group, r.Agent, ms(r.Queued), ms(r.Answered),
				r.Wait.Milliseconds(), r.Talk.Milliseconds(), now.UnixMilli()); err != nil {
				return err
			}
		}
		return putMeta(tx, map[string]int64{"alive_at": now.UnixMilli(), "call_seq": int64(seq)})
	})
	if err != nil {
		return fmt.Errorf("store: live calls: %w", err)
	}
	return nil
}

// Alive notes now as the centre's last sign of life: a live call's talk
// time at a crash runs to it. Talk time so far is kept up to date too.
func (s *Store) Alive(ctx context.Context, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE live_calls SET talk_ms = talk_ms + (? - seen), seen = ? WHERE answered > 0`,
			now.UnixMilli(), now.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE live_calls SET seen = ? WHERE answered = 0`, now.UnixMilli()); err != nil {
			return err
		}
		return putMeta(tx, map[string]int64{"alive_at": now.UnixMilli()})
	})
	if err != nil {
		return fmt.Errorf("store: alive: %w", err)
	}
	return nil
}

func putMeta(tx *sql.Tx, kv map[string]int64) error {
	for k, v := range kv {
		if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// CloseLiveCalls turns every call the store still holds as live into a
// record: ended by the system at the centre's last sign of life, with the
// talk time it really had, and the note NoteRestarted. It returns the
// records written and the newest call number ever handed out (from the
// stored sequence and every call id in the store), for the next ids.
func (s *Store) CloseLiveCalls(ctx context.Context, numberOf func(string) uint64) ([]CallRecord, uint64, error) {
	var closed []CallRecord
	var seq uint64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var v int64
		switch err := tx.QueryRow(`SELECT value FROM meta WHERE key='call_seq'`).Scan(&v); err {
		case nil:
			seq = uint64(max(v, 0))
		case sql.ErrNoRows:
		default:
			return err
		}
		rows, err := tx.Query(`SELECT DISTINCT call_id FROM calls`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			seq = max(seq, numberOf(id))
		}
		rows.Close()
		rows, err = tx.Query(`SELECT call_id, segment, from_party, to_party, grp, agent, queued, answered,
			wait_ms, talk_ms, seen FROM live_calls ORDER BY call_id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r CallRecord
			var q, a, w, t, seen int64
			if err := rows.Scan(&r.CallID, &r.Segment, &r.From, &r.To, &r.Group, &r.Agent, &q, &a, &w, &t, &seen); err != nil {
				rows.Close()
				return err
			}
			r.Queued, r.Answered, r.Ended = fromMS(q), fromMS(a), fromMS(seen)
			r.Talk = time.Duration(t) * time.Millisecond
			if r.Answered.IsZero() {
				r.Wait, r.Disposition = r.Ended.Sub(r.Queued), "abandoned"
			} else {
				r.Wait, r.Disposition = time.Duration(w)*time.Millisecond, "answered"
			}
			r.EndedBy, r.Note = "system", NoteRestarted
			closed = append(closed, r)
			seq = max(seq, numberOf(r.CallID))
		}
		rows.Close()
		kept := closed[:0]
		for _, r := range closed {
			// A crash between a call's record and the live list's update
			// leaves it in both: the record stands.
			var n int
			if err := tx.QueryRow(`SELECT COUNT(*) FROM calls WHERE call_id=? AND segment=?`, r.CallID, r.Segment).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if err := addCall(tx, r); err != nil {
				return err
			}
			kept = append(kept, r)
		}
		closed = kept
		_, err = tx.Exec(`DELETE FROM live_calls`)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: close live calls: %w", err)
	}
	return closed, seq, nil
}

// PruneStates deletes agent state history older than before and returns
// how many rows went.
func (s *Store) PruneStates(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM agent_states WHERE at < ?`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune agent states: %w", err)
	}
	return res.RowsAffected()
}
