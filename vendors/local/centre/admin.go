package centre

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/acd"
	"github.com/agentty/agentty/vendors/local/store"
)

// CallRecord is one finished call segment as `agentty calls` lists it.
type CallRecord = store.CallRecord

// TokenSpec says whom a token is for.
type TokenSpec struct {
	Role   string   // agent, supervisor or kiosk
	Name   string   // the user id; 1-64 characters, no spaces, commas or colons
	Groups []string // may check in to (agents) or call (kiosks); none means "general"
	TTL    time.Duration
}

// CreateToken mints a token in the store under dataDir: the one-liner behind
// `agentty token create`. The token is returned once; only its hash is kept.
func CreateToken(dataDir, role, name string, groups []string) (string, error) {
	return CreateTokenSpec(dataDir, TokenSpec{Role: role, Name: name, Groups: groups})
}

// CreateTokenSpec is CreateToken with an expiry.
func CreateTokenSpec(dataDir string, spec TokenSpec) (string, error) {
	st, err := store.Open(dataDir)
	if err != nil {
		return "", fmt.Errorf("local: token: %w", err)
	}
	defer st.Close()
	var groups []string
	for _, g := range spec.Groups {
		if g = strings.TrimSpace(g); g != "" {
			groups = append(groups, g)
		}
	}
	tok, err := st.CreateToken(context.Background(), store.User{ID: spec.Name, Role: session.Role(spec.Role), Groups: groups}, spec.TTL, time.Now())
	if err != nil {
		return "", fmt.Errorf("local: token: %w", err)
	}
	return tok, nil
}

// ListCalls returns the call records in the store under dataDir, oldest
// first: the data behind `agentty calls`.
func ListCalls(dataDir string) ([]CallRecord, error) {
	st, err := store.Open(dataDir)
	if err != nil {
		return nil, fmt.Errorf("local: calls: %w", err)
	}
	defer st.Close()
	return st.Calls(context.Background())
}

// WriteCalls prints records as a table, or as JSON lines with asJSON.
func WriteCalls(w io.Writer, recs []CallRecord, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("local: calls: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CALL\tSEG\tQUEUED\tCHANNEL\tFROM\tTO\tGROUP\tAGENT\tWAIT\tTALK\tENDED BY\tDISPOSITION\tCODE\tNOTE\tRECORDING")
	for _, r := range recs {
		by := dash(r.EndedBy)
		if r.Note != "" {
			by += " (" + r.Note + ")"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.CallID, r.Segment,
			r.Queued.Local().Format("2006-01-02 15:04:05"), dash(r.Channel), dash(r.From), dash(r.To), dash(r.Group), dash(r.Agent),
			r.Wait.Round(time.Second), r.Talk.Round(time.Second), by, r.Disposition, dash(r.Code), r.CodeNote, recordingCell(r.Recording))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// GroupSpec configures a group in the store; a running server reads it at
// its next start. Zero durations keep the defaults (ring 20 s, wrap-up 30 s,
// rest limit 15 min); Strategy is longest-idle, ring-all, round-robin or
// fewest-calls.
type GroupSpec struct {
	ID, Name    string
	Strategy    string
	RingTimeout time.Duration
	WrapUp      time.Duration
	RestLimit   time.Duration
	// Codes are the disposition codes agents pick in wrap-up (nil keeps
	// the stored ones; use ClearCodes to remove them); CodeRequired
	// refuses done until one is chosen.
	Codes        []string
	CodeRequired bool
	ClearCodes   bool
	// Record is the recording policy: always, on-demand or never (""
	// keeps the stored one).
	Record string
}

// SetGroup writes a group's settings to the store under dataDir.
func SetGroup(dataDir string, g GroupSpec) error {
	if g.Strategy != "" && !acd.Strategy(g.Strategy).Valid() {
		return fmt.Errorf("local: group %s: strategy %q: want longest-idle, ring-all, round-robin or fewest-calls", g.ID, g.Strategy)
	}
	if err := validRecord(g); err != nil {
		return err
	}
	st, err := store.Open(dataDir)
	if err != nil {
		return fmt.Errorf("local: group: %w", err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.PutGroup(ctx, store.Group{ID: g.ID, Name: g.Name, Strategy: g.Strategy,
		RingTimeout: g.RingTimeout, WrapUp: g.WrapUp, RestLimit: g.RestLimit}); err != nil {
		return err
	}
	if err := setGroupRecord(ctx, st, g); err != nil {
		return err
	}
	if len(g.Codes) > 0 || g.ClearCodes {
		return st.SetGroupCodes(ctx, g.ID, store.GroupCodes{Codes: g.Codes, Required: g.CodeRequired})
	}
	return nil
}
