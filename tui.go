package main

import (
	"context"
	"errors"

	"github.com/agentty/agentty/vendors"
)

// runTUI opens the full-screen console.
func runTUI(ctx context.Context, g *globals, v vendors.Vendor, o consoleOptions) error {
	v.Close()
	return usageError{errors.New("the full-screen console is not built yet: run with --headless")}
}
