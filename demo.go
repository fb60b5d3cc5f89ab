package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

func newDemoCmd(g *globals) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole product on one machine: a backend, simulated callers, and the console",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			role := session.Role(as)
			if !role.Valid() {
				return usagef("--as %q: want agent, supervisor or kiosk", as)
			}
			return g.runScriptedDemo(cmd, role)
		},
	}
	cmd.Flags().StringVar(&as, "as", "agent", "seat: agent, supervisor or kiosk")
	cmd.Flags().BoolVar(&g.headless, "headless", false, "JSON lines instead of the screen")
	cmd.Flags().StringVar(&g.locale, "locale", "", "language for the kiosk: en, es, zh")
	return cmd
}

// runScriptedDemo runs the console on the in-process scripted backend, with
// a caller ringing now and then and the kiosk queue moving.
func (g *globals) runScriptedDemo(cmd *cobra.Command, role session.Role) error {
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	v := fake.New(nil, role, fake.ValidToken)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(4 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				v.Advance()
				if rand.IntN(2) == 0 {
					v.Ring(fmt.Sprintf("+3491737%04d", rand.IntN(10000))) // refused unless ready
				}
			}
		}
	}()
	defer func() { cancel(); <-done }()
	return g.runConsole(ctx, cmd.InOrStdin(), cmd.OutOrStdout(), consoleOptions{
		vendor: v, backend: "scripted demo (not the embedded centre)",
	})
}
