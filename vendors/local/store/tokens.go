package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/agentty/agentty/session"
)

// ErrRoleChange is returned by CreateToken for an existing user with
// another role: a new token never changes what a user may do.
var ErrRoleChange = errors.New("a new token never changes a user's role")

// TokenIDLen is the length of a token id: the start of its hash, which
// names the token in lists and revocations without revealing it.
const TokenIDLen = 12

// TokenInfo describes one token (never the token itself).
type TokenInfo struct {
	ID       string       `json:"id"`
	User     string       `json:"user"`
	Role     session.Role `json:"role"`
	Disabled bool         `json:"disabled,omitempty"`
	Created  time.Time    `json:"created"`
	Expires  time.Time    `json:"expires,omitzero"`
}

// checkRole refuses a token for an existing user of another role.
func checkRole(tx *sql.Tx, u User) error {
	var role string
	err := tx.QueryRow(`SELECT role FROM users WHERE id=?`, u.ID).Scan(&role)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case role != string(u.Role):
		return fmt.Errorf("%w: %s's role is %s (ask for --role %s)", ErrRoleChange, u.ID, role, role)
	}
	return nil
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]TokenInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.hash, t.user_id, COALESCE(u.role, ''), COALESCE(u.disabled, 1), t.created, t.expires
		FROM tokens t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.created, t.hash`)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []TokenInfo
	for rows.Next() {
		var t TokenInfo
		var hash, role string
		var created, exp int64
		if err := rows.Scan(&hash, &t.User, &role, &t.Disabled, &created, &exp); err != nil {
			return nil, fmt.Errorf("store: tokens: %w", err)
		}
		t.ID, t.Role, t.Created, t.Expires = hash[:min(TokenIDLen, len(hash))], session.Role(role), fromMS(created), fromMS(exp)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeTokens deletes the token whose id is what, or every token of the
// user what, and returns how many went. A token id must be at least 8
// characters.
func (s *Store) RevokeTokens(ctx context.Context, what string) (int, error) {
	if what == "" {
		return 0, errors.New("store: revoke: no token id or user")
	}
	q, arg := `DELETE FROM tokens WHERE user_id=?`, what
	if len(what) >= 8 && strings.Trim(what, "0123456789abcdef") == "" {
		q, arg = `DELETE FROM tokens WHERE user_id=? OR substr(hash, 1, ?)=?`, what
		res, err := s.db.ExecContext(ctx, q, arg, len(what), what)
		if err != nil {
			return 0, fmt.Errorf("store: revoke %s: %w", what, err)
		}
		n, _ := res.RowsAffected()
		return int(n), nil
	}
	res, err := s.db.ExecContext(ctx, q, arg)
	if err != nil {
		return 0, fmt.Errorf("store: revoke %s: %w", what, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
