// Package contacts is agentty's address book: streaming vCard import, a
// durable bleve index on disk, idle-time indexing, search as you type,
// caller-ID lookup and volatile contacts pushed by a vendor. It imports
// nothing of agentty's own.
//
// # Wiring (main.go)
//
//	book, err := contacts.Open(filepath.Join(xdgData, "agentty", "contacts"),
//		contacts.Options{DefaultCountry: cfg.Country}) // "ES", "US", "+34"...
//	defer book.Close()
//
//	// agentty contacts import FILE.vcf [--json]: the command line draws
//	// the progress bar from book.Import's Progress (Progress.Text) and
//	// prints SummaryText; it sets its process's heap limit itself.
//	sum, err := book.Import(ctx, file, onProgress)
//
//	// agentty contacts search Q [--json]
//	err = contacts.RunSearchCLI(ctx, book, q, 20, os.Stdout, jsonFlag)
//
// The TUI calls book.Search(query, limit) on every keystroke (from a Cmd,
// never in Update), book.Lookup(from) on every call.ringing, book.Push(cs)
// for a vendor's contacts message (seed 002: id, name, phones),
// book.MarkCalled(id) when a call to a contact is answered or dialled, and
// book.Indexer().Pause()/Resume() around a ringing call while an import
// runs in the background with book.Import(ctx, path, progress). The
// console opens its book with Options.Background, so that such an import
// keeps to one core and never holds a search back; the command line
// imports at full speed into a book opened with Options.DiskOnly (no
// in-memory index: the process ends after the import).
//
// # Design
//
// bleve (scorch, on disk under the directory given to Open) is the durable
// store. Its mapping is built for typing: one "words" field with every word
// of the name, the organisation and the e-mail local parts, folded (lower
// case, Latin accents removed, each Han ideograph its own term), so that a
// prefix query on the term dictionary answers "jen"; no _all field, term
// vectors or doc values. The contact itself is a stored field. Phone
// digits are not indexed (a sixth of a million-card import's CPU): a
// bleve-only search with a word of digits ("3466") reads the stored
// records instead.
//
// Keystrokes are served from a compact in-memory index kept in sync by
// every import batch and Push. Open maps it from the typing file
// (typing.idx beside the bleve index: the index's arrays as they lie in
// memory, written after every import that completes, by the command line
// too) in tens of milliseconds; when that file is missing, damaged or
// stale (a stamp every import batch renews in bleve, the document count,
// the default country and a fingerprint of the search code must all
// match, and a CRC-32C covers the whole file), Open rebuilds the index
// from bleve's stored records, seconds for 250k contacts, and writes the
// file again in the background. Each contact's
// record and folded text live in 1 MiB chunks that are appended to and
// never moved, and hashed 3-rune grams (plus word-start grams, the
// name's whole-word and word-start grams once more under a key of their
// own, and every window of five digits in a row, so that a number typed
// whole reads short lists) point to delta-encoded, sorted lists of
// contacts. A query reads the
// shortest lists, verifies candidates by substring and ranks them exact
// word > word prefix > inside a word, then recently called, then matched
// in the name before matched only elsewhere, then by name. Contacts are
// renumbered in name order after an import, so a query reads its
// candidates stage by stage, each stopping after the first limit matches
// ranking better than what it has left; a query that extends the
// previous one only re-checks the previous matches. Caller-ID is a binary search over packed E.164 digits.
//
// # Import
//
// Import streams the file card by card (go-vcard parses each card after
// the importer has unfolded lines, decoded vCard 2.1 quoted-printable and
// legacy charsets, and kept only FN, N, ORG, TEL, EMAIL and UID). Bad cards
// are counted with their line. Cards are keyed by UID, else by a hash of
// name and phones, so a re-import updates. Work is done in steps bounded by
// Options.StepBudget, yielding between steps and waiting while the Indexer
// is paused. Every Options.BatchSize cards go to bleve as one batch, two
// batches being built at once (one with Options.Background). A batch
// carries the checkpoint after the newest batch already in the index with
// every batch before it, so a checkpoint never reaches the disk without
// its cards: after a crash or kill -9 the next Import of the same file
// resumes after the last durable checkpoint, and the index is never
// inconsistent with it.
package contacts
