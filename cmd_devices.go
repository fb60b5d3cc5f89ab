package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/audio/device"
)

func init() {
	extraCommands = append(extraCommands, newDevicesCmd)
}

func newDevicesCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "devices",
		Short: "List the microphones and speakers agentty can open (--mic NAME, --speaker NAME)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			infos, err := device.List()
			if err != nil {
				return fmt.Errorf("no sound server reachable (%w); calls will use the null device", err)
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(infos)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KIND\tDEFAULT\tNAME\tDESCRIPTION")
			for _, d := range infos {
				def := ""
				if d.Default {
					def = "*"
				}
				kind := "speaker"
				if d.Capture {
					kind = "mic"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", kind, def, d.Name, d.Desc)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
