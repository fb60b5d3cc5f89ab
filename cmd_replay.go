package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/replay"
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/ui"
)

func init() { extraCommands = append(extraCommands, newReplayCmd) }

func newReplayCmd(g *globals) *cobra.Command {
	var speed, from, to, as string
	cmd := &cobra.Command{
		Use:   "replay FILE|DIR",
		Short: "Replay a journal: the console read-only as it was, or the state after each event",
		Long: `Replay a journal of events: a session's (under $XDG_STATE_HOME/agentty) or a
centre's (DATA/journal, every user's events and every routing decision). The
console opens read-only with a timeline (space pause, . step, [ ] a minute,
{ } ten minutes, + - speed, q quits); --headless prints the state after each
event as a JSON line. For a centre's journal, --as picks whose screen to
replay (default: the first supervisor, else the first user). Lines of types
this version does not know are listed, not applied.`,
		Example: `  agentty replay ~/.local/state/agentty/session-20261203T090000.000.jsonl
  agentty replay ~/.local/share/agentty/centre/journal --as sup --from 09:00 --to 12:30 --speed 10x
  agentty replay --headless --speed max centre.jsonl`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("replay: give one journal file or directory (see --help)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			sp, err := replay.ParseSpeed(speed)
			if err != nil {
				return usagef("--speed: %v", err)
			}
			log, err := readJournal(args[0])
			if err != nil {
				return err
			}
			user, role, err := pickUser(log, as)
			if err != nil {
				return err
			}
			es, err := replay.Window(log.For(user), from, to)
			if err != nil {
				return usagef("%v", err)
			}
			note := replayNote(log, user, len(es))
			g.log.Info("replay", "file", args[0], "note", note)
			if g.headless {
				fmt.Fprintln(cmd.ErrOrStderr(), "agentty: "+note)
				return replayHeadless(cmd.Context(), cmd.OutOrStdout(), es, sp)
			}
			return replayConsole(cmd.Context(), g, args[0], es, sp, role)
		},
	}
	f := cmd.Flags()
	f.StringVar(&speed, "speed", "1x", "1x, 10x, 0.5x or max")
	f.StringVar(&from, "from", "", "start at: RFC 3339, 15:04[:05] on the log's first day, or +DURATION")
	f.StringVar(&to, "to", "", "stop at: as --from")
	f.StringVar(&as, "as", "", "whose screen, in a centre's journal (a user id)")
	f.BoolVar(&g.headless, "headless", false, "print the state after each event as JSON lines")
	return cmd
}

// readJournal reads a journal file, or every journal file of a directory
// in order.
func readJournal(path string) (*journal.Log, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files, _ = filepath.Glob(filepath.Join(path, "*.jsonl"))
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("replay: no journal (*.jsonl) in %s", path)
		}
	}
	var rs []io.Reader
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		defer f.Close()
		rs = append(rs, f)
	}
	l, err := journal.Read(io.MultiReader(rs...))
	if err != nil {
		return nil, err
	}
	if len(l.Entries) == 0 {
		return nil, fmt.Errorf("replay: %s holds no events (%d bad lines)", path, len(l.Bad))
	}
	return l, nil
}

// pickUser chooses whose events to replay from a centre's journal; a
// session's journal has no users and replays whole.
func pickUser(l *journal.Log, as string) (string, session.Role, error) {
	ids, roles := l.Users()
	if len(ids) == 0 {
		if as != "" {
			return "", "", usagef("--as %q: this is a session's journal, not a centre's", as)
		}
		for _, e := range l.Entries {
			if a, ok := e.Event.(session.AuthResult); ok && a.OK {
				return "", a.Role, nil
			}
		}
		return "", session.RoleAgent, nil
	}
	if as != "" {
		for _, id := range ids {
			if id == as {
				return as, roles[as], nil
			}
		}
		return "", "", usagef("--as %q: not in this journal (users: %s)", as, strings.Join(ids, ", "))
	}
	for _, id := range ids {
		if roles[id] == session.RoleSupervisor {
			return id, session.RoleSupervisor, nil
		}
	}
	return ids[0], roles[ids[0]], nil
}

func replayNote(l *journal.Log, user string, n int) string {
	s := fmt.Sprintf("replaying %d events", n)
	if user != "" {
		s += " as seen by " + user
	}
	if len(l.Unknown) > 0 {
		var kinds []string
		for t, c := range l.Unknown {
			kinds = append(kinds, fmt.Sprintf("%s ×%d", t, c))
		}
		sort.Strings(kinds)
		s += "; listed, not applied (unknown to this version): " + strings.Join(kinds, ", ")
	}
	if len(l.Bad) > 0 {
		s += fmt.Sprintf("; %d unreadable lines skipped (first: %s)", len(l.Bad), l.Bad[0])
	}
	return s
}

// replayHeadless prints the state after each entry, paced at sp.
func replayHeadless(ctx context.Context, out io.Writer, es []journal.Entry, sp replay.Speed) error {
	w := bufio.NewWriterSize(out, 64<<10)
	defer w.Flush()
	enc := json.NewEncoder(w)
	var st session.State
	for i, e := range es {
		if sp != replay.Max && i > 0 {
			if gap := time.Duration(float64(e.At.Sub(es[i-1].At)) / float64(sp)); gap > 0 {
				w.Flush()
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(gap):
				}
			}
		}
		if e.Event != nil {
			st = session.Apply(st, e.Event)
		}
		if err := enc.Encode(replay.Summarize(e, st)); err != nil {
			return fmt.Errorf("replay: %w", err)
		}
	}
	return nil
}

// errReadOnly refuses every command of a replayed console.
var errReadOnly = errors.New("this is a replay: nothing can be changed")

func replayConsole(ctx context.Context, g *globals, name string, es []journal.Entry, sp replay.Speed, role session.Role) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if g.logFile != nil {
		if restore, err := redirectStderr(g.logFile); err == nil {
			defer restore()
		}
	}
	keys, styles, err := ui.FromSettings(g.file)
	if err != nil {
		g.log.Warn("config: keys and colours", "err", err)
	}
	p := replay.NewPlayer(es, sp, nil)
	go p.Run(ctx)
	return ui.Run(ctx, ui.Options{
		Role:    role,
		Backend: "replay of " + filepath.Base(name),
		Events:  p.Events(),
		Send:    func(context.Context, session.Command) error { return errReadOnly },
		Replay:  p,
		Now:     p.Now,
		Lang:    g.lang(),
		KeyMap:  &keys,
		Styles:  &styles,
		Logger:  g.log,
	})
}
