// Command agentty is a terminal softphone and contact-centre console.
//
// main parses flags, picks the vendor, wires the parts and runs: the console
// (agent, supervisor or kiosk screen, following the token's role), the
// headless JSON-lines mode, the embedded centre, and the contact tools.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	_ "github.com/agentty/agentty/vendors/fake"  // the scripted backend
	_ "github.com/agentty/agentty/vendors/local" // the embedded centre
)

// version is set by the Makefile with -ldflags.
var version = "dev"

// globals are the settings every command shares.
type globals struct {
	configPath string
	logLevel   string
	vendor     string
	server     string
	token      string
	role       string
	headless   bool
	locale     string
	country    string
	media      mediaSettings
	journal    journalSettings
	bookDir    string // the contact book's directory ("": contactsDir(); the demo has its own)

	log      *slog.Logger
	logFile  *os.File
	closeLog func()
	file     map[string]string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot(&globals{}).ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err))
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "agentty:", err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "agentty",
		Short: "A terminal softphone and contact-centre console",
		Long: `agentty is a terminal softphone and contact-centre console.

With no sub-command it opens the console for the configured backend; the
screen follows the token's role (agent, supervisor, kiosk). With --headless it
reads command words on stdin and writes normalized events as JSON lines.

Settings come from flags, then AGENTTY_* variables (--server is
AGENTTY_SERVER), then $XDG_CONFIG_HOME/agentty/config.toml.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.setup(cmd)
		},
		PersistentPostRun: func(*cobra.Command, []string) {
			if g.closeLog != nil {
				g.closeLog()
			}
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runConsole(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), consoleOptions{})
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/agentty/config.toml)")
	pf.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error (log file under $XDG_STATE_HOME/agentty)")
	addJournalFlags(&g.journal, pf)
	f := root.Flags()
	f.StringVar(&g.vendor, "vendor", "local", "backend: "+fmt.Sprint(vendors.Names()))
	f.StringVar(&g.server, "server", "", "backend address, e.g. ws://127.0.0.1:7070")
	f.StringVar(&g.token, "token", "", "access token")
	f.StringVar(&g.role, "role", "", "role for backends that do not tell it (scripted)")
	f.BoolVar(&g.headless, "headless", false, "JSON lines: commands on stdin, events on stdout")
	f.StringVar(&g.locale, "locale", "", "language for the kiosk: en, es, zh (default from $LANG)")
	f.StringVar(&g.country, "country", "", "country of numbers written without +, for caller ID (e.g. ES or +34)")
	addMediaFlags(g, f)
	addSIPFlags(f)
	addBridgeFlags(g, f)

	root.AddCommand(newDemoCmd(g))
	for _, add := range extraCommands {
		root.AddCommand(add(g))
	}
	return root
}

// extraCommands are added by the other files of package main, one per
// feature, so main.go does not grow with each.
var extraCommands []func(*globals) *cobra.Command

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q (see --help)", cmd.CommandPath(), args[0])
	}
	return nil
}

// setup layers settings and opens the log, before any command runs.
func (g *globals) setup(cmd *cobra.Command) error {
	file, err := loadConfigFile(g.configPath)
	if err != nil {
		return usageError{err}
	}
	g.file = file
	if err := applySettings(cmd, file); err != nil {
		return err
	}
	log, f, err := openLog(g.logLevel)
	if err != nil {
		return err
	}
	g.log, g.logFile, g.closeLog = log, f, func() { f.Close() }
	g.log.Info("start", "version", version, "command", cmd.CommandPath())
	return nil
}

func (g *globals) lang() session.Lang {
	if g.locale != "" {
		return session.LangFromLocale(g.locale)
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			return session.LangFromLocale(l)
		}
	}
	return session.LangEnglish
}

// consoleOptions are what a caller (the demo) adds to the plain console.
type consoleOptions struct {
	vendor  vendors.Vendor // already built; else built from the settings
	backend string         // how the status bar names the backend
}

// runConsole opens the console, or the headless mode, on a backend.
func (g *globals) runConsole(ctx context.Context, in io.Reader, out io.Writer, o consoleOptions) error {
	v := o.vendor
	if v == nil && g.vendor == "local" && g.server == "" {
		return usagef("no centre configured: pass --server ws://HOST:PORT and --token (or set them in %s), or try 'agentty demo'",
			filepath.Join(configDir(), "config.toml"))
	}
	if v == nil {
		var err error
		v, err = vendors.New(g.vendor, vendors.Config{
			Server: g.server, Token: g.token, Logger: g.log,
			Options: withSIPOptions(g.mediaOptions()), Media: g.mediaConfig(),
		})
		if err != nil {
			return usageError{err}
		}
	}
	v = withJournal(v, g.openJournal(stateDir(), "session"))
	if g.headless {
		dir := openBook(g)
		defer dir.close()
		h := &headless{
			v: v, out: bufio.NewWriter(out), log: g.log,
			now: func() session.Base { return session.Base{At: vendors.SystemClock{}.Now()} },
			app: dir.session(),
		}
		return h.run(ctx, in)
	}
	return runTUI(ctx, g, v, o)
}
