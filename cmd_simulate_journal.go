package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/agentty/agentty/journal"
	"github.com/agentty/agentty/whatif"
)

// readArrivalsFile reads --arrivals FILE: the JSON lines of 'agentty calls
// --json', or a centre's journal (the demo's, or DATA/journal of 'agentty
// serve'), told apart by the first line: a journal's lines have a "type".
func readArrivalsFile(r io.Reader) ([]whatif.Record, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var head struct {
		Type string `json:"type"`
	}
	first, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if json.Unmarshal(first, &head) != nil || head.Type == "" {
		return whatif.ReadRecords(br)
	}
	l, err := journal.Read(br)
	if err != nil {
		return nil, fmt.Errorf("simulate: %w", err)
	}
	return whatif.RecordsFromJournal(l), nil
}
