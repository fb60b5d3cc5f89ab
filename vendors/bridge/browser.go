package bridge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Chromium opens the page in a headless Chromium that agentty starts and
// owns, driven over chromedp's pipe transport: no debugging port is opened.
// Flags are the ones the closed network needs (SIP-LAB.md).
type Chromium struct {
	// Path is the browser; "" means /usr/bin/chromium.
	Path string
	// Flags are added to the command line (tests: a fake vendor server's
	// self-signed certificate needs "ignore-certificate-errors").
	Flags map[string]any
}

// ErrNoChromium is returned when the browser cannot be started.
var ErrNoChromium = errors.New("bridge: chromium cannot start")

// Open starts Chromium, navigates to url and returns the function that
// stops it (and removes its fresh profile directory).
func (c Chromium) Open(ctx context.Context, url string) (func(), error) {
	path := c.Path
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoChromium, err)
	}
	hooks, err := frameScript()
	if err != nil {
		return nil, fmt.Errorf("bridge: frame hooks: %w", err)
	}
	dir, err := os.MkdirTemp("", "agentty-chromium-")
	if err != nil {
		return nil, fmt.Errorf("bridge: profile dir: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		// One renderer process for the page and its frames, so that the
		// audio hooks added below run in a vendor's cross-site iframe too
		// (an out-of-process iframe would need its own session).
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"),
		chromedp.CombinedOutput(io.Discard),
	}
	for k, v := range c.Flags {
		opts = append(opts, chromedp.Flag(k, v))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	stop := func() {
		bcancel()
		acancel()
		os.RemoveAll(dir) //nolint:errcheck
	}
	done := make(chan error, 1)
	// Navigate without waiting for the load event: the shim's hello over
	// the WebSocket says the page is up, and an iframe vendor's frame may
	// take its time to load.
	go func() {
		done <- chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// The audio hooks in every frame (frame.go), before any
			// frame's own scripts.
			if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hooks}); err != nil {
				return err
			}
			res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: url})
			if err == nil && res.ErrorText != "" {
				err = errors.New(res.ErrorText)
			}
			return err
		}))
	}()
	select {
	case err := <-done:
		if err != nil {
			stop()
			return nil, fmt.Errorf("%w: %v", ErrNoChromium, err)
		}
	case <-ctx.Done():
		stop()
		return nil, ctx.Err()
	}
	return stop, nil
}

// PrintURL is --bridge-browser=none: it hands the URL to Print (which writes
// it for the person, never to stdout while the TUI runs) and waits for the
// person's browser to connect.
type PrintURL struct {
	Print func(url string)
}

// Open prints the URL.
func (p PrintURL) Open(_ context.Context, url string) (func(), error) {
	if p.Print != nil {
		p.Print(url)
	}
	return func() {}, nil
}
