package centre

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/agentty/agentty/vendors/local/store"
)

// TokenInfo describes one token of the store (never the token itself).
type TokenInfo = store.TokenInfo

// ListTokens returns the tokens in the store under dataDir: the data
// behind `agentty token list`.
func ListTokens(dataDir string) ([]TokenInfo, error) {
	st, err := store.Open(dataDir)
	if err != nil {
		return nil, fmt.Errorf("local: tokens: %w", err)
	}
	defer st.Close()
	return st.Tokens(context.Background())
}

// RevokeTokens deletes the token with id what, or every token of the user
// what; a running centre ends the sessions signed in with them within
// DefaultAuthEvery. It returns how many tokens went.
func RevokeTokens(dataDir, what string) (int, error) {
	st, err := store.Open(dataDir)
	if err != nil {
		return 0, fmt.Errorf("local: revoke: %w", err)
	}
	defer st.Close()
	n, err := st.RevokeTokens(context.Background(), what)
	if err != nil {
		return 0, fmt.Errorf("local: revoke: %w", err)
	}
	return n, nil
}

// WriteTokens prints tokens as a table, or as JSON lines with asJSON.
func WriteTokens(w io.Writer, toks []TokenInfo, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, t := range toks {
			if err := enc.Encode(t); err != nil {
				return fmt.Errorf("local: tokens: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tROLE\tCREATED\tEXPIRES")
	for _, t := range toks {
		exp := "never"
		if !t.Expires.IsZero() {
			exp = t.Expires.Local().Format(time.DateTime)
		}
		role := string(t.Role)
		if t.Disabled {
			role += " (disabled)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, role, t.Created.Local().Format(time.DateTime), exp)
	}
	return tw.Flush()
}
