package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/proto"
	"github.com/agentty/agentty/vendors/local/sim"
)

func init() {
	extraCommands = append(extraCommands, newServeCmd, newTokenCmd, newCallsCmd)
}

// centreDir is where the embedded centre keeps its store by default.
func centreDir() string { return filepath.Join(dataDir(), "centre") }

func newServeCmd(g *globals) *cobra.Command {
	cfg := centre.ServerConfig{}
	var sipOpts serveSIP
	var recDir string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the embedded contact centre alone",
		Long: `Run the embedded contact centre: WebSocket signalling (docs/protocol.md),
routing, the SQLite store of users, tokens and call records, and /metrics.
Mint tokens with 'agentty token create'.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
				return usagef("--tls-cert and --tls-key go together")
			}
			cfg.Logger = g.log
			if w := centre.ClearTextWarning(cfg.Listen, cfg.TLSCert != ""); w != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "agentty: warning: "+w)
				g.log.Warn("serve: " + w)
			}
			var err error
			if cfg.MetricsToken, err = proto.ReadSecret(cfg.MetricsToken); err != nil {
				return err
			}
			link := &centre.RecordingLink{}
			loopback := media.LoopbackAddr(cfg.Listen)
			m, err := media.New(media.Config{Loopback: loopback, Logger: g.log,
				Parties:    sim.NewPhones(sim.PhonesConfig{Loopback: loopback, Logger: g.log}).Open, // simulated callers
				Recordings: recordingsDir(cfg.DataDir, recDir), OnRecording: link.Report})
			if err != nil {
				return fmt.Errorf("media: %w", err)
			}
			cfg.Media, cfg.Recordings = m, link // the server closes it
			if j := g.openJournal(filepath.Join(cfg.DataDir, "journal"), "centre"); j != nil {
				cfg.Journal = j
				defer j.Close()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "agentty: centre on %s, data in %s\n", cfg.Listen, cfg.DataDir)
			return serveCentre(cmd.Context(), g, cmd.ErrOrStderr(), cfg, m, &sipOpts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", "127.0.0.1:7070", "address to listen on")
	f.StringVar(&cfg.DataDir, "data", centreDir(), "directory of the centre's store")
	f.StringVar(&cfg.TLSCert, "tls-cert", "", "certificate file, to serve wss://")
	f.StringVar(&cfg.TLSKey, "tls-key", "", "key file of --tls-cert")
	addServeSIPFlags(f, &sipOpts)
	f.StringVar(&cfg.MetricsToken, "metrics-token", "", "bearer token /metrics demands (@FILE reads it from FILE; or AGENTTY_METRICS_TOKEN)")
	addRecordingFlags(f, &recDir, &cfg.RecordingRetention)
	return cmd
}

func newTokenCmd(g *globals) *cobra.Command {
	tok := &cobra.Command{Use: "token", Short: "Manage the centre's access tokens", Args: noArgs}
	var (
		data string
		spec centre.TokenSpec
	)
	create := &cobra.Command{
		Use:   "create --role agent|supervisor|kiosk --name NAME [--groups a,b]",
		Short: "Mint a token; it is printed once, the store keeps only its hash",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if spec.Name == "" {
				return usagef("--name is required")
			}
			switch spec.Role {
			case "agent", "supervisor", "kiosk":
			default:
				return usagef("--role %q: want agent, supervisor or kiosk", spec.Role)
			}
			t, err := centre.CreateTokenSpec(data, spec)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), t)
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&data, "data", centreDir(), "directory of the centre's store")
	f.StringVar(&spec.Role, "role", "agent", "agent, supervisor or kiosk")
	f.StringVar(&spec.Name, "name", "", "the user id")
	f.StringSliceVar(&spec.Groups, "groups", nil, "groups the user may check in to (agents) or call (kiosks)")
	f.DurationVar(&spec.TTL, "ttl", 0, "lifetime of the token, e.g. 720h (default: no expiry)")
	tok.AddCommand(create)
	tok.AddCommand(tokenAdminCommands()...)
	return tok
}

func newCallsCmd(g *globals) *cobra.Command {
	var (
		data   string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "calls",
		Short: "List the centre's call records",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			recs, err := centre.ListCalls(data)
			if err != nil {
				return err
			}
			return centre.WriteCalls(cmd.OutOrStdout(), recs, asJSON)
		},
	}
	cmd.Flags().StringVar(&data, "data", centreDir(), "directory of the centre's store")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per record")
	return cmd
}
