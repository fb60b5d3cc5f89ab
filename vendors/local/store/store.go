// Package store is the embedded centre's SQLite database (modernc.org/sqlite,
// WAL): users, token hashes, groups, agent state history and call records.
// A call record is committed before the call's end is announced, and WAL
// with synchronous=NORMAL survives a kill -9 of the process (a power cut may
// lose the last commits; a process crash does not).
package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver

	"github.com/agentty/agentty/session"
)

// FileName is the database file inside the data directory.
const FileName = "centre.db"

// Store is the database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS users (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
	hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users(id),
	created INTEGER NOT NULL,
	expires INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS groups (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	strategy TEXT NOT NULL DEFAULT '',
	ring_timeout_ms INTEGER NOT NULL DEFAULT 0,
	wrap_up_ms INTEGER NOT NULL DEFAULT 0,
	rest_limit_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS user_groups (
	user_id TEXT NOT NULL REFERENCES users(id),
	group_id TEXT NOT NULL REFERENCES groups(id),
	pos INTEGER NOT NULL,
	PRIMARY KEY (user_id, group_id)
);
CREATE TABLE IF NOT EXISTS agent_states (
	id INTEGER PRIMARY KEY,
	user_id TEXT NOT NULL,
	state TEXT NOT NULL,
	reason TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (
	id INTEGER PRIMARY KEY,
	call_id TEXT NOT NULL,
	segment INTEGER NOT NULL,
	from_party TEXT NOT NULL,
	to_party TEXT NOT NULL,
	grp TEXT NOT NULL,
	agent TEXT NOT NULL,
	queued INTEGER NOT NULL,
	answered INTEGER NOT NULL,
	ended INTEGER NOT NULL,
	wait_ms INTEGER NOT NULL,
	talk_ms INTEGER NOT NULL,
	ended_by TEXT NOT NULL,
	disposition TEXT NOT NULL
);
`

// Open opens (creating if needed) the database in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	path := filepath.Join(dir, FileName)
	q := url.Values{}
	// busy_timeout first, so that switching to WAL waits for another process.
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	// Transactions that read before they write (a token's role check, the
	// live calls at a restart) take the write lock at BEGIN: a deferred one
	// fails with SQLITE_BUSY_SNAPSHOT (517) when another process wrote in
	// between, which busy_timeout does not retry.
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema + codesSchema + recordingSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: schema of %s: %w", path, err)
	}
	if err := errors.Join(migrateLive(db), migrateChannel(db)); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: schema of %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// User is a person with a role.
type User struct {
	ID     string
	Name   string
	Role   session.Role
	Groups []string
}

// Errors of Authenticate, matching the auth codes of DESIGN.md.
var (
	ErrInvalidToken = errors.New("invalid token")
	ErrUnknownUser  = errors.New("unknown user")
	ErrTokenExpired = errors.New("token expired")
)

// TokenPrefix starts every token, so a pasted token is recognisable.
const TokenPrefix = "agt_"

// HashToken returns the stored form of a token.
func HashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// CreateToken adds or updates the user name (the user id is the name) with
// role and groups, and mints a token for it that expires after ttl (0:
// never). It returns the token; only its hash is stored.
func (s *Store) CreateToken(ctx context.Context, u User, ttl time.Duration, now time.Time) (string, error) {
	if !u.Role.Valid() {
		return "", fmt.Errorf("store: role %q: want agent, supervisor or kiosk", u.Role)
	}
	if u.ID == "" || strings.ContainsAny(u.ID, " \t\n:,") || len(u.ID) > 64 {
		return "", fmt.Errorf("store: name %q: want 1-64 characters without spaces, commas or colons", u.ID)
	}
	if u.Name == "" {
		u.Name = u.ID
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("store: token: %w", err)
	}
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	var exp int64
	if ttl > 0 {
		exp = now.Add(ttl).UnixMilli()
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkRole(tx, u); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO users(id, name, role, created) VALUES(?,?,?,?)
			ON CONFLICT(id) DO UPDATE SET name=excluded.name, role=excluded.role, disabled=0`,
			u.ID, u.Name, string(u.Role), now.UnixMilli()); err != nil {
			return err
		}
		if len(u.Groups) > 0 {
			if _, err := tx.Exec(`DELETE FROM user_groups WHERE user_id=?`, u.ID); err != nil {
				return err
			}
		}
		for i, g := range u.Groups {
			if _, err := tx.Exec(`INSERT OR IGNORE INTO groups(id, name) VALUES(?,?)`, g, g); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT OR IGNORE INTO user_groups(user_id, group_id, pos) VALUES(?,?,?)`, u.ID, g, i); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`INSERT INTO tokens(hash, user_id, created, expires) VALUES(?,?,?,?)`,
			HashToken(tok), u.ID, now.UnixMilli(), exp)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: create token for %s: %w", u.ID, err)
	}
	return tok, nil
}

// DisableUser stops every token of id from signing in (unknown_user).
func (s *Store) DisableUser(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE users SET disabled=1 WHERE id=?`, id); err != nil {
		return fmt.Errorf("store: disable %s: %w", id, err)
	}
	return nil
}

// Authenticate returns the user a token belongs to, or ErrInvalidToken,
// ErrUnknownUser, ErrTokenExpired, or another error (internal).
func (s *Store) Authenticate(ctx context.Context, tok string, now time.Time) (User, error) {
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) > 128 {
		return User{}, ErrInvalidToken
	}
	var id, name, role sql.NullString
	var disabled sql.NullBool
	var exp int64
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.disabled, t.expires
		FROM tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.hash=?`, HashToken(tok)).
		Scan(&id, &name, &role, &disabled, &exp)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return User{}, ErrInvalidToken
	case err != nil:
		return User{}, fmt.Errorf("store: authenticate: %w", err)
	case !id.Valid || disabled.Bool:
		return User{}, ErrUnknownUser
	case exp != 0 && now.UnixMilli() >= exp:
		return User{}, ErrTokenExpired
	}
	u := User{ID: id.String, Name: name.String}
	u.Role = session.Role(role.String)
	u.Groups, err = s.userGroups(ctx, u.ID)
	return u, err
}

func (s *Store) userGroups(ctx context.Context, id string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT group_id FROM user_groups WHERE user_id=? ORDER BY pos`, id)
	if err != nil {
		return nil, fmt.Errorf("store: groups of %s: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return nil, fmt.Errorf("store: groups of %s: %w", id, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Users lists every enabled user.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role FROM users WHERE disabled=0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	var out []User
	for rows.Next() {
		var u User
		var role string
		if err := rows.Scan(&u.ID, &u.Name, &role); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: users: %w", err)
		}
		u.Role = session.Role(role)
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	for i := range out {
		if out[i].Groups, err = s.userGroups(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
