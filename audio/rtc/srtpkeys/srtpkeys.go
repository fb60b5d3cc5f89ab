// Package srtpkeys recovers the SRTP keys of a DTLS-SRTP session (RFC
// 5764) that pion's webrtc runs, where the application can reach them:
// pion keeps its DTLS connection, and so its keying material exporter,
// to itself. A relay that decrypts and forwards on its own sockets'
// goroutines (not through pion's SRTP sessions, which hand each packet
// between three goroutines) needs those keys.
//
// Catcher learns them from two of pion's public settings, on the DTLS
// server's side: the server hello hook gives the server's random, the
// negotiated cipher suite and SRTP protection profile; the key log (the
// NSS format, "CLIENT_RANDOM <client random> <master secret>") gives the
// client's random and the master secret. With both, Catcher is the
// session's exporter (RFC 5705: TLS 1.2's PRF over the master secret and
// the two randoms, with the cipher suite's hash), and the SRTP keys follow
// as pion derives its own (srtp.Config.ExtractSessionKeysFromDTLS).
//
// On the DTLS client's side the server's random is not offered by any
// hook; Catcher then never completes, and the caller keeps pion's path.
package srtpkeys

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"

	"github.com/pion/dtls/v3"
	"github.com/pion/dtls/v3/pkg/crypto/prf"
	"github.com/pion/dtls/v3/pkg/protocol/extension"
	"github.com/pion/dtls/v3/pkg/protocol/handshake"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// ErrIncomplete is Keys's error before the handshake gave both halves
// (and always on the DTLS client's side).
var ErrIncomplete = errors.New("srtpkeys: the handshake has not given the keys")

// Catcher catches one DTLS server's session secrets. Install it with
// Install before the peer connection is made; one Catcher per connection
// (a SettingEngine's hooks are its connections').
type Catcher struct {
	mu           sync.Mutex
	line         []byte // a key log line not ended yet
	serverRandom [handshake.RandomLength]byte
	clientRandom [handshake.RandomLength]byte
	hello        bool // the server hello was seen: we are the server
	suite        dtls.CipherSuiteID
	profile      srtp.ProtectionProfile
	master       []byte
	err          error // the first thing that made the keys unrecoverable
	ready        func()
	fired        bool // ready was called
}

// Install makes se's connections report to c, and calls ready (once,
// on pion's handshake goroutine) when the keys are known.
func (c *Catcher) Install(se *webrtc.SettingEngine, ready func()) {
	c.ready = ready
	se.SetDTLSServerHelloMessageHook(c.serverHello)
	se.SetDTLSKeyLogWriter(c)
}

// serverHello records what the keys need from our server hello, and
// returns it unchanged.
func (c *Catcher) serverHello(m handshake.MessageServerHello) handshake.Message {
	c.mu.Lock()
	c.hello = true
	c.serverRandom = m.Random.MarshalFixed()
	if m.CipherSuiteID != nil {
		c.suite = dtls.CipherSuiteID(*m.CipherSuiteID)
	}
	c.profile = 0
	for _, e := range m.Extensions {
		if u, ok := e.(*extension.UseSRTP); ok && len(u.ProtectionProfiles) == 1 {
			c.profile = srtp.ProtectionProfile(u.ProtectionProfiles[0])
		}
	}
	done := c.completeLocked()
	c.mu.Unlock()
	if done {
		c.ready()
	}
	return &m
}

// Write takes pion's key log: one "CLIENT_RANDOM" line per handshake.
func (c *Catcher) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.line = append(c.line, p...)
	var done bool
	for {
		i := bytes.IndexByte(c.line, '\n')
		if i < 0 {
			break
		}
		line := string(c.line[:i])
		c.line = c.line[i+1:]
		if err := c.keyLogLocked(line); err != nil && c.err == nil {
			c.err = err
		}
		done = c.completeLocked() || done
	}
	c.mu.Unlock()
	if done {
		c.ready()
	}
	return len(p), nil
}

func (c *Catcher) keyLogLocked(line string) error {
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != "CLIENT_RANDOM" {
		return fmt.Errorf("srtpkeys: key log line %q", line)
	}
	cr, err := hex.DecodeString(f[1])
	if err != nil || len(cr) != len(c.clientRandom) {
		return fmt.Errorf("srtpkeys: key log client random %q", f[1])
	}
	ms, err := hex.DecodeString(f[2])
	if err != nil || len(ms) == 0 {
		return fmt.Errorf("srtpkeys: key log master secret")
	}
	copy(c.clientRandom[:], cr)
	c.master = ms
	return nil
}

// completeLocked says whether both halves are in, for the first time
// (a hello sent again, a key log written again, say nothing more).
func (c *Catcher) completeLocked() bool {
	if c.fired || !c.hello || c.master == nil || c.err != nil || c.ready == nil {
		return false
	}
	c.fired = true
	return true
}

// hashFor is the PRF hash of a TLS 1.2 cipher suite: its own when it
// names SHA-384, else SHA-256 (RFC 5246 5).
func hashFor(id dtls.CipherSuiteID) (func() hash.Hash, error) {
	name := dtls.CipherSuiteName(id)
	switch {
	case !strings.HasPrefix(name, "TLS_"):
		return nil, fmt.Errorf("srtpkeys: cipher suite %#04x", uint16(id))
	case strings.HasSuffix(name, "_SHA384"):
		return sha512.New384, nil
	default:
		return sha256.New, nil
	}
}

// ExportKeyingMaterial is the session's exporter (RFC 5705), as pion's
// dtls.State implements it.
func (c *Catcher) ExportKeyingMaterial(label string, context []byte, length int) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hello || c.master == nil {
		return nil, ErrIncomplete
	}
	if c.err != nil {
		return nil, c.err
	}
	if len(context) != 0 {
		return nil, errors.New("srtpkeys: an exporter context is not supported")
	}
	h, err := hashFor(c.suite)
	if err != nil {
		return nil, err
	}
	seed := make([]byte, 0, len(label)+2*len(c.clientRandom))
	seed = append(append(append(seed, label...), c.clientRandom[:]...), c.serverRandom[:]...)
	return prf.PHash(c.master, seed, length, h)
}

// Keys returns the session's SRTP profile and master keys, the
// server's: Local for what the server sends, Remote for what the client
// sends.
func (c *Catcher) Keys() (srtp.ProtectionProfile, srtp.SessionKeys, error) {
	c.mu.Lock()
	profile, complete := c.profile, c.hello && c.master != nil
	c.mu.Unlock()
	if !complete {
		return 0, srtp.SessionKeys{}, ErrIncomplete
	}
	if profile == 0 {
		return 0, srtp.SessionKeys{}, errors.New("srtpkeys: no SRTP protection profile was negotiated")
	}
	cfg := srtp.Config{Profile: profile}
	if err := cfg.ExtractSessionKeysFromDTLS(c, false); err != nil {
		return 0, srtp.SessionKeys{}, err
	}
	return profile, cfg.Keys, nil
}

// Contexts returns the session's SRTP contexts, the server's: in
// decrypts what the client sends (with a replay window of replay
// packets), out encrypts what the server sends.
func (c *Catcher) Contexts(replay uint) (in, out *srtp.Context, err error) {
	profile, keys, err := c.Keys()
	if err != nil {
		return nil, nil, err
	}
	return PionContexts(profile, keys, replay)
}

// PionContexts returns pion's SRTP contexts for the server's side of
// keys: in decrypts what the client sends (with a replay window of
// replay packets), out encrypts what the server sends.
func PionContexts(profile srtp.ProtectionProfile, keys srtp.SessionKeys, replay uint) (in, out *srtp.Context, err error) {
	in, err = srtp.CreateContext(keys.RemoteMasterKey, keys.RemoteMasterSalt, profile, srtp.SRTPReplayProtection(replay))
	if err != nil {
		return nil, nil, err
	}
	out, err = srtp.CreateContext(keys.LocalMasterKey, keys.LocalMasterSalt, profile)
	if err != nil {
		return nil, nil, err
	}
	return in, out, nil
}
