package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
	"github.com/agentty/agentty/ui/replayer"
)

func init() { extraCommands = append(extraCommands, newReplayCmd) }

func newReplayCmd(g *globals) *cobra.Command {
	var speed, from, to, user string
	cmd := &cobra.Command{
		Use:   "replay FILE|DIR",
		Short: "Replay a session's or a centre's event journal: the console read-only, or the state after each event",
		Long: `Open the console read-only on an event journal (a session's, under
$XDG_STATE_HOME/agentty, or a centre's, in its data directory's journal): the
screens as they were, under a timeline. space plays and pauses, ← → step,
[ ] seek a minute, { } ten, home/end, + - change the speed, q quits.

With --headless, print one JSON line per journal line instead: the event and
the state of its user after it. A directory replays every .jsonl file in it,
oldest first. Lines of event types this version does not know are listed,
never applied.`,
		Example: `  agentty replay ~/.local/share/agentty/centre/journal --user sup --from 09:00
  agentty replay --headless --speed max session-20261203T080000.jsonl | jq .state.agent_state`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("replay: give one journal file or directory (see --help)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := readJournal(args[0])
			if err != nil {
				return err
			}
			for _, b := range l.Bad {
				g.log.Warn("replay: line skipped", "file", args[0], "why", b)
			}
			if len(l.Entries) == 0 {
				return fmt.Errorf("replay: %s holds no events", args[0])
			}
			day := l.Entries[0].At
			f, err := replay.ParseTime(from, day)
			if err != nil {
				return usagef("--from: %v", err)
			}
			t, err := replay.ParseTime(to, day)
			if err != nil {
				return usagef("--to: %v", err)
			}
			if speed == "" {
				speed = "1x"
				if g.headless {
					speed = "max"
				}
			}
			sp, err := replay.ParseSpeed(speed)
			if err != nil {
				return usagef("--speed: %v", err)
			}
			p := replay.New(l, f, t)
			if unk := p.Unknown(); len(unk) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "replay: lines of types this version does not know (listed, not applied): %s\n", strings.Join(unk, ", "))
			}
			if g.headless {
				return replay.Headless(cmd.Context(), p, cmd.OutOrStdout(), sp, user, replay.Sleep)
			}
			if user == "" {
				if us := replay.Users(l); len(us) > 0 {
					user = us[0]
				}
			}
			return g.runReplayConsole(cmd.Context(), p, user, sp)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&g.headless, "headless", false, "JSON lines: each event and its user's state after it, no console")
	f.StringVar(&speed, "speed", "", "1x, 10x, 0.5x or max (default 1x, max with --headless)")
	f.StringVar(&from, "from", "", "start here: RFC 3339 or a clock time (09:30) on the journal's first day")
	f.StringVar(&to, "to", "", "stop here: RFC 3339 or a clock time")
	f.StringVar(&user, "user", "", "a centre's journal: whose screens (default: the first supervisor, else the first agent)")
	return cmd
}

// readJournal reads a journal file, or every .jsonl file of a directory
// in name order (journal files are named by their start time).
func readJournal(path string) (*journal.Log, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.jsonl"))
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("replay: no .jsonl journal in %s", path)
		}
	}
	var rs []io.Reader
	var closers []*os.File
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		closers = append(closers, fh)
		rs = append(rs, fh, strings.NewReader("\n"))
	}
	l, err := journal.Read(io.MultiReader(rs...))
	if err != nil {
		return nil, fmt.Errorf("replay: %s: %w", path, err)
	}
	return l, nil
}

// runReplayConsole opens the replaying console full screen.
func (g *globals) runReplayConsole(ctx context.Context, p *replay.Player, user string, sp replay.Speed) error {
	if g.logFile != nil {
		restore, err := redirectStderr(g.logFile)
		if err == nil {
			defer restore()
		}
	}
	keys, styles, err := ui.FromSettings(g.file)
	if err != nil {
		g.log.Warn("config: keys and colours", "err", err)
	}
	role := session.Role(g.role)
	m := replayer.New(ui.Options{Role: role, Backend: "replay", KeyMap: &keys, Styles: &styles, Logger: g.log, Lang: g.lang()},
		p, user, sp, true)
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("replay: console: %w", err)
	}
	return nil
}
