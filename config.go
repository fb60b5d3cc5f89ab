package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// usageError marks an error as the person's misuse of the command line:
// main exits 2 for it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// xdgDir returns $env/agentty, or $HOME/fallback/agentty when env is unset.
func xdgDir(env, fallback string) string {
	if d := os.Getenv(env); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "agentty")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = os.TempDir()
	}
	return filepath.Join(home, fallback, "agentty")
}

func configDir() string { return xdgDir("XDG_CONFIG_HOME", ".config") }
func dataDir() string   { return xdgDir("XDG_DATA_HOME", filepath.Join(".local", "share")) }
func stateDir() string  { return xdgDir("XDG_STATE_HOME", filepath.Join(".local", "state")) }

// loadConfigFile reads $XDG_CONFIG_HOME/agentty/config.toml (or path) into a
// flat map of setting name -> value. A missing file is no settings.
// Tables nest with dots: [keys] answer = "a" is "keys.answer".
func loadConfigFile(path string) (map[string]string, error) {
	if path == "" {
		path = filepath.Join(configDir(), "config.toml")
	}
	var raw map[string]any
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return map[string]string{}, nil
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	out := map[string]string{}
	flatten("", raw, out)
	return out, nil
}

func flatten(prefix string, m map[string]any, out map[string]string) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case map[string]any:
			flatten(key, v, out)
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(x)
			}
			out[key] = strings.Join(parts, ",")
		default:
			out[key] = fmt.Sprint(v)
		}
	}
}

// envName is the AGENTTY_* variable of a flag: --mic-wav is AGENTTY_MIC_WAV.
func envName(flag string) string {
	return "AGENTTY_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// applySettings fills every flag the person did not set on the command line,
// first from its AGENTTY_* variable, then from the config file. Flags win
// over variables, variables over the file.
func applySettings(cmd *cobra.Command, file map[string]string) error {
	var errs []error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" || f.Name == "version" {
			return
		}
		src, val, ok := "", "", false
		if v, set := os.LookupEnv(envName(f.Name)); set {
			src, val, ok = envName(f.Name), v, true
		} else if v, set := file[f.Name]; set {
			src, val, ok = "config.toml "+f.Name, v, true
		} else if v, set := file[sipTableKey(f.Name)]; set {
			src, val, ok = "config.toml "+sipTableKey(f.Name), v, true
		}
		if !ok {
			return
		}
		if err := f.Value.Set(val); err != nil {
			errs = append(errs, usagef("%s: %v", src, err))
		}
	})
	return errors.Join(errs...)
}

// openLog opens the log file under the state directory. Nothing else writes
// logs: the TUI owns the terminal.
func openLog(level string) (*slog.Logger, *os.File, error) {
	dir := stateDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("log dir: %w", err)
	}
	path := filepath.Join(dir, "agentty.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		f.Close()
		return nil, nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	log := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: lv}))
	return log, f, nil
}
