package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/vendors/local/centre"
)

// tokenAdminCommands are `agentty token list` and `agentty token revoke`.
func tokenAdminCommands() []*cobra.Command {
	var (
		data   string
		asJSON bool
	)
	list := &cobra.Command{
		Use:   "list",
		Short: "List the centre's tokens (ids, users, roles, expiry; never the tokens)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			toks, err := centre.ListTokens(data)
			if err != nil {
				return err
			}
			return centre.WriteTokens(cmd.OutOrStdout(), toks, asJSON)
		},
	}
	list.Flags().StringVar(&data, "data", centreDir(), "directory of the centre's store")
	list.Flags().BoolVar(&asJSON, "json", false, "one JSON object per token")
	var rdata string
	revoke := &cobra.Command{
		Use:   "revoke TOKEN_ID|USER",
		Short: "Revoke a token by its id (from 'token list') or every token of a user; live sessions end",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := centre.RevokeTokens(rdata, args[0])
			if err != nil {
				return err
			}
			if n == 0 {
				return usagef("no token with id or user %q (see 'agentty token list')", args[0])
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked %d token(s)\n", n)
			return nil
		},
	}
	revoke.Flags().StringVar(&rdata, "data", centreDir(), "directory of the centre's store")
	return []*cobra.Command{list, revoke}
}
