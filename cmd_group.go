package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/vendors/local/centre"
)

func init() {
	extraCommands = append(extraCommands, newGroupCmd)
}

// newGroupCmd is `agentty group set ID ...`: a group's settings in the
// centre's store, read by the centre at its next start.
func newGroupCmd(*globals) *cobra.Command {
	cmd := &cobra.Command{Use: "group", Short: "Configure the centre's groups (read at the centre's next start)", Args: noArgs}
	var (
		data  string
		spec  centre.GroupSpec
		codes string
	)
	set := &cobra.Command{
		Use:   "set ID [--codes a,b,c [--require-code]] [--wrap-up 30s] ...",
		Short: "Add or change a group: routing, timers and the disposition codes of wrap-up",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.ID = args[0]
			if cmd.Flags().Changed("codes") {
				spec.Codes, spec.ClearCodes = nil, true
				for _, c := range strings.Split(codes, ",") {
					if c = strings.TrimSpace(c); c != "" {
						if strings.ContainsAny(c, " \t") {
							return usagef("--codes: %q: a code is one word", c)
						}
						spec.Codes = append(spec.Codes, c)
					}
				}
			}
			if spec.CodeRequired && len(spec.Codes) == 0 {
				return usagef("--require-code needs --codes")
			}
			if err := centre.SetGroup(data, spec); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "group %s saved; the centre reads it at its next start\n", spec.ID)
			return nil
		},
	}
	f := set.Flags()
	f.StringVar(&data, "data", centreDir(), "directory of the centre's store")
	f.StringVar(&spec.Name, "name", "", "display name")
	f.StringVar(&spec.Strategy, "strategy", "", "longest-idle, ring-all, round-robin or fewest-calls")
	f.DurationVar(&spec.RingTimeout, "ring-timeout", 0, "offer to the next agent after this (default 20s)")
	f.DurationVar(&spec.WrapUp, "wrap-up", 0, "after-call work before ready (default 30s)")
	f.DurationVar(&spec.RestLimit, "rest-limit", 0*time.Second, "a rest past this is reported (default 15m)")
	f.StringVar(&codes, "codes", "", "disposition codes agents choose in wrap-up, comma-separated (\"\" removes them)")
	f.BoolVar(&spec.CodeRequired, "require-code", false, "refuse done until a disposition code is chosen")
	f.StringVar(&spec.Record, "record", "", "call recording: always, on-demand (record on|off) or never")
	cmd.AddCommand(set)
	return cmd
}
