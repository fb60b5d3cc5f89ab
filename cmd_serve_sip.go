package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spf13/pflag"

	"github.com/agentty/agentty/sip/sdp"
	"github.com/agentty/agentty/vendors/local/centre"
	"github.com/agentty/agentty/vendors/local/centre/siptrunk"
	"github.com/agentty/agentty/vendors/local/media"
	"github.com/agentty/agentty/vendors/local/proto"
)

// serveSIP is the SIP trunk of `agentty serve`: the --sip-listen flag and
// the [centre.sip] table of the config file.
type serveSIP struct {
	listen, listenTLS string
}

func addServeSIPFlags(f *pflag.FlagSet, o *serveSIP) {
	f.StringVar(&o.listen, "sip-listen", "", "let SIP phones and trunks call in on IP:PORT (UDP and TCP), e.g. 127.0.0.1:5080; see [centre.sip]")
	f.StringVar(&o.listenTLS, "sip-listen-tls", "", "also take SIP over TLS on IP:PORT (tls_cert, tls_key in [centre.sip]), e.g. 127.0.0.1:5081")
}

// centreSIPFile is the [centre.sip] table:
//
//	[centre.sip]
//	listen = "127.0.0.1:5080"
//	allow = ["127.0.0.1/32", "10.0.0.0/8"]
//	routes = { "900" = "sales", "901" = "support" }
//	default_group = "sales"
//	no_agents = "busy"          # or "queue", "prompt"
//	codecs = ["pcmu", "pcma"]
//	srtp = "optional"           # off, optional, mandatory
//	media_addr = "127.0.0.1"    # the RTP address put in SDP
//	rtp_timeout = "30s"
//	trunk = "sip:127.0.0.1:5060"  # agents' dials go out here
//	trunk_user = "centre"
//	trunk_password = "@/etc/agentty/trunk.pass"
//	caller_id = "+34910000000"
type centreSIPFile struct {
	Listen       string            `toml:"listen"`
	Allow        []string          `toml:"allow"`
	Routes       map[string]string `toml:"routes"`
	DefaultGroup string            `toml:"default_group"`
	NoAgents     string            `toml:"no_agents"`
	Codecs       []string          `toml:"codecs"`
	SRTP         string            `toml:"srtp"`
	MediaAddr    string            `toml:"media_addr"`
	RTPTimeout   string            `toml:"rtp_timeout"`
	// The outbound trunk: agents' dials of numbers go out there
	// (trunk_password: @FILE reads it from FILE).
	Trunk         string `toml:"trunk"`
	TrunkUser     string `toml:"trunk_user"`
	TrunkPassword string `toml:"trunk_password"`
	CallerID      string `toml:"caller_id"`
	// TLS, prompts, music (cmd_serve_sip_extra.go).
	centreSIPExtra
}

// readCentreSIP reads [centre.sip] from the config file (path, or the usual
// one); a missing file or table is the zero value.
func readCentreSIP(path string) (centreSIPFile, error) {
	if path == "" {
		path = filepath.Join(configDir(), "config.toml")
	}
	var raw struct {
		Centre struct {
			SIP centreSIPFile `toml:"sip"`
		} `toml:"centre"`
	}
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return centreSIPFile{}, nil
		}
		return centreSIPFile{}, usagef("config %s: [centre.sip]: %v", path, err)
	}
	if err := unknownSIPKey(path, md); err != nil {
		return centreSIPFile{}, err
	}
	raw.Centre.SIP.resolve(filepath.Dir(path))
	return raw.Centre.SIP, nil
}

// trunkConfig turns the table and the flag into the trunk's config; ok is
// false when no SIP listening is asked for.
func trunkConfig(file centreSIPFile, flagListen string, flagTLS ...string) (cfg siptrunk.Config, ok bool, err error) {
	cfg.Listen = file.Listen
	if flagListen != "" {
		cfg.Listen = flagListen
	}
	if cfg.Listen == "" {
		if file.ListenTLS != "" || firstOf(flagTLS) != "" {
			return cfg, false, usagef("SIP over TLS needs --sip-listen or listen in [centre.sip] too")
		}
		return cfg, false, nil
	}
	if _, err := netip.ParseAddrPort(cfg.Listen); err != nil {
		return cfg, false, usagef("--sip-listen %q: want IP:PORT, e.g. 127.0.0.1:5080", cfg.Listen)
	}
	for _, a := range file.Allow {
		a = strings.TrimSpace(a)
		p, err := netip.ParsePrefix(a)
		if err != nil {
			ip, err2 := netip.ParseAddr(a)
			if err2 != nil {
				return cfg, false, usagef("[centre.sip] allow %q: want an address or a CIDR range, e.g. 127.0.0.1/32", a)
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		cfg.Allow = append(cfg.Allow, p.Masked())
	}
	cfg.Routes, cfg.DefaultGroup, cfg.NoAgents = file.Routes, file.DefaultGroup, file.NoAgents
	if cfg.NoAgents != "" && cfg.NoAgents != siptrunk.NoAgentsBusy && cfg.NoAgents != siptrunk.NoAgentsQueue && cfg.NoAgents != siptrunk.NoAgentsPrompt {
		return cfg, false, usagef("[centre.sip] no_agents %q: want busy, queue or prompt", cfg.NoAgents)
	}
	if len(file.Codecs) > 0 {
		cfg.Codecs = file.Codecs
		if _, err := sdp.Offer(sdp.Local{Codecs: cfg.Codecs}); err != nil {
			return cfg, false, usagef("[centre.sip] codecs: %v", err)
		}
	}
	if file.SRTP != "" {
		if cfg.SRTP, err = sdp.ParseSRTPMode(file.SRTP); err != nil {
			return cfg, false, usagef("[centre.sip] srtp: %v", err)
		}
	}
	if file.MediaAddr != "" {
		if cfg.MediaAddr, err = netip.ParseAddr(file.MediaAddr); err != nil {
			return cfg, false, usagef("[centre.sip] media_addr %q: want an IP address", file.MediaAddr)
		}
	}
	if file.Trunk != "" {
		if !strings.HasPrefix(file.Trunk, "sip:") {
			return cfg, false, usagef("[centre.sip] trunk %q: want sip:HOST:PORT", file.Trunk)
		}
		cfg.Trunk, cfg.TrunkUser, cfg.CallerID = file.Trunk, file.TrunkUser, file.CallerID
		if cfg.TrunkPassword, err = proto.ReadSecret(file.TrunkPassword); err != nil {
			return cfg, false, usagef("[centre.sip] trunk_password: %v", err)
		}
	}
	if file.RTPTimeout != "" {
		if cfg.RTPTimeout, err = time.ParseDuration(file.RTPTimeout); err != nil {
			return cfg, false, usagef("[centre.sip] rtp_timeout %q: want a duration, e.g. 30s", file.RTPTimeout)
		}
	}
	if err := applyExtra(file.centreSIPExtra, firstOf(flagTLS), &cfg); err != nil {
		return cfg, false, err
	}
	return cfg, true, nil
}

// serveCentre runs the centre as centre.Serve does, with the SIP trunk
// when one is configured.
func serveCentre(ctx context.Context, g *globals, stderr io.Writer, cfg centre.ServerConfig, m *media.Server, o *serveSIP) error {
	file, err := readCentreSIP(g.configPath)
	if err != nil {
		return err
	}
	tcfg, on, err := trunkConfig(file, o.listen, o.listenTLS)
	if err != nil {
		return err
	}
	if !on {
		return centre.Serve(ctx, cfg)
	}
	cfg.Engine.TrunkOut = tcfg.Trunk != ""
	srv, err := centre.NewServer(cfg)
	if err != nil {
		return err
	}
	url, err := srv.Start()
	if err != nil {
		srv.Close()
		return err
	}
	tcfg.Centre, tcfg.Relay, tcfg.Logger = srv, m, g.log
	tr, err := siptrunk.New(tcfg)
	if err != nil {
		srv.Close()
		return err
	}
	if err := srv.RegisterCollector(tr.Collector(func() int64 { return m.Stats().RTPLegs })); err != nil {
		g.log.Warn("serve: sip metrics", "err", err)
	}
	g.log.Info("local: centre listening", "url", url, "data", cfg.DataDir)
	fmt.Fprintf(stderr, "agentty: SIP calls in on %s (udp, tcp)\n", tr.Addr())
	if a := tr.TLSAddr(); a.IsValid() {
		fmt.Fprintf(stderr, "agentty: SIP calls in on %s (tls)\n", a)
	}
	<-ctx.Done()
	return errors.Join(tr.Close(), srv.Close())
}
