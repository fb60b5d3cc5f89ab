package main

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine the commands start has ended when the tests end (bleve
// keeps a process-wide analysis pool once used, as in package contacts).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/blevesearch/bleve_index_api.AnalysisWorker"))
}
