package rtpleg

import (
	"fmt"
	"strings"
	"sync"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// SDES crypto suites (RFC 4568 and RFC 7714 names) the leg supports.
const (
	SuiteAES128SHA80 = "AES_CM_128_HMAC_SHA1_80"
	SuiteAES128SHA32 = "AES_CM_128_HMAC_SHA1_32"
	SuiteAES256SHA80 = "AES_256_CM_HMAC_SHA1_80"
	SuiteAEADAES128  = "AEAD_AES_128_GCM"
)

// Suites lists the supported suites, strongest interoperable first (the
// order to offer them in).
func Suites() []string {
	return []string{SuiteAES128SHA80, SuiteAES128SHA32, SuiteAES256SHA80, SuiteAEADAES128}
}

// ErrUnknownSuite is returned for an SDES suite the leg does not support.
var ErrUnknownSuite = fmt.Errorf("rtpleg: unknown srtp crypto suite")

func profile(suite string) (srtp.ProtectionProfile, error) {
	switch strings.ToUpper(suite) {
	case SuiteAES128SHA80:
		return srtp.ProtectionProfileAes128CmHmacSha1_80, nil
	case SuiteAES128SHA32:
		return srtp.ProtectionProfileAes128CmHmacSha1_32, nil
	case SuiteAES256SHA80:
		return srtp.ProtectionProfileAes256CmHmacSha1_80, nil
	case SuiteAEADAES128:
		return srtp.ProtectionProfileAeadAes128Gcm, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrUnknownSuite, suite)
}

// KeyLen returns the length of a suite's master key plus master salt, the
// bytes of an SDES inline key.
func KeyLen(suite string) (int, error) {
	p, err := profile(suite)
	if err != nil {
		return 0, err
	}
	k, err := p.KeyLen()
	if err != nil {
		return 0, err
	}
	s, err := p.SaltLen()
	if err != nil {
		return 0, err
	}
	return k + s, nil
}

// SRTP keys a leg: the suite both ends agreed on, our master key and salt
// (what we put in our a=crypto, used to encrypt) and the far end's (from
// its a=crypto, used to decrypt).
type SRTP struct {
	Suite         string
	Local, Remote []byte // master key || master salt, KeyLen(Suite) bytes each
}

// cipher holds the two SRTP contexts of a leg: out encrypts (the send
// goroutine and the report goroutine share it), in decrypts (the reader
// goroutines share it). A rekey may share a side with the old cipher.
type cipher struct {
	out, in *side
}

// side is one SRTP context and the lock its users share.
type side struct {
	mu  sync.Mutex
	ctx *srtp.Context
}

func newSide(key []byte, keyLen int, p srtp.ProtectionProfile, opts ...srtp.ContextOption) (*side, error) {
	ctx, err := srtp.CreateContext(key[:keyLen], key[keyLen:], p, opts...)
	if err != nil {
		return nil, fmt.Errorf("rtpleg: srtp: %w", err)
	}
	return &side{ctx: ctx}, nil
}

// rekey returns the cipher for k, reusing old's contexts for a side whose
// key did not change (prev was old's keys): a fresh context restarts the
// SRTP index, which the far end's replay protection would refuse.
func rekey(old *cipher, prev, k *SRTP) (*cipher, error) {
	p, err := profile(k.Suite)
	if err != nil {
		return nil, err
	}
	keyLen, err := p.KeyLen()
	if err != nil {
		return nil, err
	}
	n, _ := KeyLen(k.Suite)
	if len(k.Local) != n || len(k.Remote) != n {
		return nil, fmt.Errorf("rtpleg: srtp %s: keys must be %d bytes", k.Suite, n)
	}
	same := old != nil && prev != nil && strings.EqualFold(prev.Suite, k.Suite)
	c := &cipher{}
	if same && string(prev.Local) == string(k.Local) {
		c.out = old.out
	} else if c.out, err = newSide(k.Local, keyLen, p); err != nil {
		return nil, err
	}
	if same && string(prev.Remote) == string(k.Remote) {
		c.in = old.in
	} else if c.in, err = newSide(k.Remote, keyLen, p, srtp.SRTPReplayProtection(128), srtp.SRTCPReplayProtection(128)); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *cipher) encryptRTP(dst, plain []byte, h *rtp.Header) ([]byte, error) {
	c.out.mu.Lock()
	defer c.out.mu.Unlock()
	return c.out.ctx.EncryptRTP(dst, plain, h)
}

func (c *cipher) decryptRTP(dst, enc []byte, h *rtp.Header) ([]byte, error) {
	c.in.mu.Lock()
	defer c.in.mu.Unlock()
	return c.in.ctx.DecryptRTP(dst, enc, h)
}

func (c *cipher) encryptRTCP(dst, plain []byte) ([]byte, error) {
	c.out.mu.Lock()
	defer c.out.mu.Unlock()
	return c.out.ctx.EncryptRTCP(dst, plain, nil)
}

func (c *cipher) decryptRTCP(dst, enc []byte) ([]byte, error) {
	c.in.mu.Lock()
	defer c.in.mu.Unlock()
	return c.in.ctx.DecryptRTCP(dst, enc, nil)
}

// sameKeys reports whether a and b key a leg alike.
func sameKeys(a, b *SRTP) bool {
	if a == nil || b == nil {
		return a == b
	}
	return strings.EqualFold(a.Suite, b.Suite) && string(a.Local) == string(b.Local) && string(a.Remote) == string(b.Remote)
}
