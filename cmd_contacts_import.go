package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"charm.land/bubbles/v2/progress"

	"github.com/agentty/agentty/contacts"
)

// runImportCLI imports path into book for `agentty contacts import FILE`.
// On a terminal (tty) it redraws one line on out: bubbles' progress bar, the
// cards read, the rate and the ETA; otherwise it prints a plain line at
// every tenth of the file. It ends with a human summary counting added,
// updated, unchanged and bad cards (the first ten bad ones with their
// line), or, with jsonOut, prints only the Summary as one JSON object.
// Bad cards do not make it fail; an unreadable file or index does.
// The process-wide heap limit is the command's (importMemoryLimit), not
// this function's.
func runImportCLI(ctx context.Context, book *contacts.Book, path string, out io.Writer, tty, jsonOut bool) error {
	var bar progress.Model
	if tty {
		bar = progress.New(progress.WithDefaultBlend(), progress.WithWidth(30))
	}
	nextTenth := 1
	var last contacts.Progress
	onProgress := func(p contacts.Progress) {
		last = p
		switch {
		case jsonOut:
		case tty:
			fmt.Fprintf(out, "\r\x1b[2K%s %s", bar.ViewAs(p.Fraction()), p.Text())
		default:
			for nextTenth <= 10 && p.Fraction() >= float64(nextTenth)/10 {
				fmt.Fprintf(out, "import %s: %3d%% %s\n", filepath.Base(p.File), nextTenth*10, p.Text())
				nextTenth++
			}
		}
	}
	sum, err := book.Import(ctx, path, onProgress)
	if tty && !jsonOut && last.File != "" {
		fmt.Fprintln(out)
	}
	if jsonOut {
		enc := json.NewEncoder(out)
		if jerr := enc.Encode(sum); jerr != nil && err == nil {
			err = fmt.Errorf("contacts: import %s: write summary: %w", filepath.Base(path), jerr)
		}
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprint(out, contacts.SummaryText(sum))
	return nil
}

// importMemoryLimit is the soft Go heap limit `agentty contacts import`
// sets: the command runs in a process of its own, so it trades a little CPU
// in the garbage collector for a lower peak RSS.
const importMemoryLimit = 200 << 20
