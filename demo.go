package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/local/sim"
)

func newDemoCmd(g *globals) *cobra.Command {
	var cfg sim.Config
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole product on one machine: the embedded centre, simulated callers and colleagues, and the console",
		Long: `Run the embedded contact centre in-process with simulated callers (random
arrivals, some who give up) and simulated colleagues, and open the console in
the seat you choose. Nothing to set up, no account anywhere.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !session.Role(cfg.As).Valid() {
				return usagef("--as %q: want agent, supervisor or kiosk", cfg.As)
			}
			cfg.Logger = g.log
			if err := g.useDemoBook(cmd.Context()); err != nil {
				return err
			}
			if j := g.openJournal(stateDir(), "demo-centre"); j != nil {
				cfg.Journal = j
				defer j.Close() // after the demo centre stops (deferred below)
			}
			d, err := sim.Start(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer d.Close()
			g.log.Info("demo: centre up", "url", d.URL, "seat", cfg.As, "user", d.User)
			v, err := vendors.New("local", vendors.Config{
				Server: d.URL, Token: d.Token, Logger: g.log, Options: g.mediaOptions(), Media: g.mediaConfig(),
			})
			if err != nil {
				return err
			}
			return g.runConsole(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), consoleOptions{
				vendor: v, backend: "embedded centre (demo)",
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.As, "as", "agent", "seat: agent, supervisor or kiosk")
	f.IntVar(&cfg.Agents, "agents", 3, "simulated colleagues")
	f.Float64Var(&cfg.PerHour, "per-hour", 300, "simulated callers per hour (a busy centre, so calls reach you soon)")
	f.DurationVar(&cfg.Handle, "handle", 90*time.Second, "mean talk time of a simulated call")
	f.DurationVar(&cfg.Patience, "patience", 3*time.Minute, "mean time a simulated caller waits before giving up")
	f.Uint64Var(&cfg.Seed, "seed", 0, "seed of the simulation (0: random)")
	f.Float64Var(&cfg.CallbackShare, "callback-share", 0.33, "share of callers out of patience who ask to be called back")
	f.BoolVar(&g.headless, "headless", false, "JSON lines instead of the screen")
	f.StringVar(&g.locale, "locale", "", "language for the kiosk: en, es, zh")
	addMediaFlags(g, f)
	return cmd
}
