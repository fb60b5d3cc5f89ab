package main

import (
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/agentty/agentty/contacts"
)

func init() {
	extraCommands = append(extraCommands, newContactsCmd)
}

// contactsDir is where the contact index lives.
func contactsDir() string { return filepath.Join(dataDir(), "contacts") }

func newContactsCmd(g *globals) *cobra.Command {
	var (
		dir     string
		country string
		asJSON  bool
		limit   int
	)
	open := func(diskOnly bool) (*contacts.Book, error) {
		if country == "" {
			country = g.country // as the console opens the book
		}
		return contacts.Open(dir, contacts.Options{DefaultCountry: country, DiskOnly: diskOnly})
	}
	cmd := &cobra.Command{Use: "contacts", Short: "Import and search contacts without the console", Args: noArgs}
	pf := cmd.PersistentFlags()
	pf.StringVar(&dir, "dir", contactsDir(), "directory of the contact index")
	pf.StringVar(&country, "country", "", "country of numbers written without +, e.g. ES or +34")
	pf.BoolVar(&asJSON, "json", false, "print JSON instead of text")

	imp := &cobra.Command{
		Use:   "import FILE.vcf",
		Short: "Import a vCard file (2.1, 3.0, 4.0); re-importing updates, never duplicates",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			book, err := open(true) // the import needs no typing index: it writes bleve, and the process ends
			if err != nil {
				return err
			}
			defer book.Close()
			out := cmd.OutOrStdout()
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
			return runImportCLI(cmd.Context(), book, args[0], out, isTerminal(out), asJSON)
		},
	}
	search := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search contacts by name, organisation, e-mail or partial phone digits",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The console's search, over the loaded index: one search, one
			// answer (bleve's prefix matches alone miss a number's tail, a
			// number without its country code and a word's inside).
			book, err := open(false)
			if err != nil {
				return err
			}
			defer book.Close()
			return contacts.RunSearchCLI(cmd.Context(), book, args[0], limit, cmd.OutOrStdout(), asJSON)
		},
	}
	search.Flags().IntVar(&limit, "limit", 20, "at most this many results")
	cmd.AddCommand(imp, search)
	return cmd
}

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s: want %d argument(s), got %d; usage: %s", cmd.CommandPath(), n, len(args), cmd.UseLine())
		}
		return nil
	}
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
