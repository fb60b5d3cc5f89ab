// Package whatif answers "what if" questions about a contact centre: a
// simulation that runs the real ACD engine (vendors/local/acd) in virtual
// time, beside the Erlang C and Erlang A formulas (package whatif/erlang).
package whatif

import (
	"time"

	"github.com/agentty/agentty/whatif/erlang"
)

// The formulas live in package whatif/erlang (a leaf the console can use
// too); these names keep whatif's callers as they were.

// Load is erlang.Load.
type Load = erlang.Load

// Figures is erlang.Figures.
type Figures = erlang.Figures

// ErrUnstable is erlang.ErrUnstable.
var ErrUnstable = erlang.ErrUnstable

// ErlangB is erlang.B.
func ErlangB(n int, a float64) float64 { return erlang.B(n, a) }

// ErlangC is erlang.C.
func ErlangC(n int, l Load, sl time.Duration) (Figures, error) { return erlang.C(n, l, sl) }

// ErlangA is erlang.A.
func ErlangA(n int, l Load, patience, sl time.Duration) (Figures, error) {
	return erlang.A(n, l, patience, sl)
}

// AgentsFor is erlang.AgentsFor.
func AgentsFor(l Load, sl time.Duration, target float64) (int, Figures) {
	return erlang.AgentsFor(l, sl, target)
}
