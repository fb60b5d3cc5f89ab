package main

// The five seed vendors (vendors/bridge): `agentty --vendor
// videsk|voximplant|sfphone|aicc|phonesdk`, each configured by its own
// [vendor.NAME] table in config.toml (or AGENTTY_VENDOR_NAME_KEY variables),
// the page opened in a headless Chromium agentty owns, or with
// --bridge-browser=none in the person's own browser.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge"
)

// bridgeSettings is what the factories read; set by addBridgeFlags and
// setup (the config file), read when --vendor builds the backend.
var bridgeSettings struct {
	sync.Mutex
	browser string
	g       *globals
}

// addBridgeFlags adds --bridge-browser and makes the config file reachable
// to the bridge factories.
func addBridgeFlags(g *globals, f *pflag.FlagSet) {
	bridgeSettings.Lock()
	bridgeSettings.g = g
	bridgeSettings.Unlock()
	f.StringVar(&bridgeSettings.browser, "bridge-browser", "chromium",
		"for the seed vendors: chromium (headless, owned by agentty) or none (print the page URL for your own browser)")
}

// vendorSetting reads [vendor.NAME] KEY: AGENTTY_VENDOR_NAME_KEY first, then
// the config file.
func vendorSetting(name, key string) string {
	if v, ok := os.LookupEnv("AGENTTY_VENDOR_" + strings.ToUpper(name+"_"+key)); ok {
		return v
	}
	bridgeSettings.Lock()
	g := bridgeSettings.g
	bridgeSettings.Unlock()
	if g == nil || g.file == nil {
		return ""
	}
	return g.file["vendor."+name+"."+key]
}

func bridgeBrowser(name string, cfg vendors.Config) bridge.Browser {
	bridgeSettings.Lock()
	b := bridgeSettings.browser
	bridgeSettings.Unlock()
	if b != "none" {
		return bridge.Chromium{Path: vendorSetting("bridge", "chromium")}
	}
	return bridge.PrintURL{Print: func(url string) {
		// Never stdout (the TUI or the headless JSON owns it): stderr, the
		// log, and a file beside the log.
		cfg.Logger.Info("bridge page", "vendor", name, "url", url)
		fmt.Fprintf(os.Stderr, "agentty: open %s in your browser for %s\n", url, name)
		p := filepath.Join(stateDir(), "bridge-url")
		os.WriteFile(p, []byte(url+"\n"), 0o600) //nolint:errcheck // best effort
	}}
}

// settings collects a vendor's keys for its shim.
func settings(name string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v := vendorSetting(name, k); v != "" {
			out[k] = v
		}
	}
	return out
}

func readSDK(name, def string) ([]byte, error) {
	p := vendorSetting(name, "sdk")
	if p == "" {
		p = def
	}
	if p == "" {
		return nil, fmt.Errorf("%s: set [vendor.%s] sdk = the path of the vendor's SDK script", name, name)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("%s: SDK script: %w", name, err)
	}
	return b, nil
}

func need(name, key string) (string, error) {
	v := vendorSetting(name, key)
	if v == "" {
		return "", fmt.Errorf("%s: set [vendor.%s] %s in config.toml", name, name, key)
	}
	return v, nil
}

func init() {
	vendors.Register("videsk", func(cfg vendors.Config) (vendors.Vendor, error) {
		sdk, err := readSDK("videsk", "")
		if err != nil {
			return nil, err
		}
		s := settings("videsk", "token", "segment")
		if s["token"] == "" {
			s["token"] = cfg.Token
		}
		return bridge.New(bridge.Videsk(sdk), s, bridgeBrowser("videsk", cfg), cfg), nil
	})
	vendors.Register("voximplant", func(cfg vendors.Config) (vendors.Vendor, error) {
		sdk, err := readSDK("voximplant", bridge.VoximplantSDKPath)
		if err != nil {
			return nil, fmt.Errorf("%w (run scripts/bridge-js.sh)", err)
		}
		s := settings("voximplant", "account", "application", "user", "password", "node", "server_ip")
		return bridge.New(bridge.Voximplant(sdk), s, bridgeBrowser("voximplant", cfg), cfg), nil
	})
	vendors.Register("sfphone", func(cfg vendors.Config) (vendors.Vendor, error) {
		u, err := need("sfphone", "url")
		if err != nil {
			return nil, err
		}
		return bridge.New(bridge.SFPhone(nil, u), nil, bridgeBrowser("sfphone", cfg), cfg), nil
	})
	vendors.Register("aicc", func(cfg vendors.Config) (vendors.Vendor, error) {
		u, err := need("aicc", "bar_url")
		if err != nil {
			return nil, err
		}
		s := settings("aicc", "context_path")
		return bridge.New(bridge.AICC(nil, u), s, bridgeBrowser("aicc", cfg), cfg), nil
	})
	vendors.Register("phonesdk", func(cfg vendors.Config) (vendors.Vendor, error) {
		sdk, err := readSDK("phonesdk", "")
		if err != nil {
			return nil, err
		}
		s := settings("phonesdk", "user", "password", "url", "vendor_type")
		role := session.Role(cfg.Options["role"])
		return bridge.New(bridge.PhoneSDK(sdk, role), s, bridgeBrowser("phonesdk", cfg), cfg), nil
	})
}
