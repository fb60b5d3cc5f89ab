package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/agentty/agentty/ui/common"
)

// FromSettings builds the key map and the styles from flat settings as the
// config file gives them: "keys.answer" = "a" or "a,f5" (several keys
// separated by commas; the first is the one shown), and "colors.accent" =
// "#5fafff" or an ANSI number (accent, muted, good, warn, bad, busy, text).
// Other settings are ignored. Unknown key or colour names are reported in
// one error; everything else is still applied.
func FromSettings(settings map[string]string) (KeyMap, Styles, error) {
	km := DefaultKeyMap()
	pal := common.DefaultPalette()
	keys := map[string][]string{}
	var errs []error
	names := make([]string, 0, len(settings))
	for n := range settings {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := settings[n]
		switch {
		case strings.HasPrefix(n, "keys."):
			keys[strings.TrimPrefix(n, "keys.")] = splitKeys(v)
		case strings.HasPrefix(n, "colors."):
			if err := pal.SetColor(strings.TrimPrefix(n, "colors."), strings.TrimSpace(v)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := km.Rebind(keys); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return km, common.StylesFrom(pal), fmt.Errorf("ui: settings: %w", err)
	}
	return km, common.StylesFrom(pal), nil
}

// splitKeys reads "a,f5" as two keys; "," alone is the comma key.
func splitKeys(v string) []string {
	if strings.TrimSpace(v) == "," {
		return []string{","}
	}
	var out []string
	for _, k := range strings.Split(v, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}
