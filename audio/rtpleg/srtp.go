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
// goroutines share it).
type cipher struct {
	outMu sync.Mutex
	out   *srtp.Context
	inMu  sync.Mutex
	in    *srtp.Context
}

func newCipher(k *SRTP) (*cipher, error) {
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
	out, err := srtp.CreateContext(k.Local[:keyLen], k.Local[keyLen:], p)
	if err != nil {
		return nil, fmt.Errorf("rtpleg: srtp: %w", err)
	}
	in, err := srtp.CreateContext(k.Remote[:keyLen], k.Remote[keyLen:], p,
		srtp.SRTPReplayProtection(128), srtp.SRTCPReplayProtection(128))
	if err != nil {
		return nil, fmt.Errorf("rtpleg: srtp: %w", err)
	}
	return &cipher{out: out, in: in}, nil
}

func (c *cipher) encryptRTP(dst, plain []byte, h *rtp.Header) ([]byte, error) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	return c.out.EncryptRTP(dst, plain, h)
}

func (c *cipher) decryptRTP(dst, enc []byte, h *rtp.Header) ([]byte, error) {
	c.inMu.Lock()
	defer c.inMu.Unlock()
	return c.in.DecryptRTP(dst, enc, h)
}

func (c *cipher) encryptRTCP(dst, plain []byte) ([]byte, error) {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	return c.out.EncryptRTCP(dst, plain, nil)
}

func (c *cipher) decryptRTCP(dst, enc []byte) ([]byte, error) {
	c.inMu.Lock()
	defer c.inMu.Unlock()
	return c.in.DecryptRTCP(dst, enc, nil)
}

// sameKeys reports whether a and b key a leg alike.
func sameKeys(a, b *SRTP) bool {
	if a == nil || b == nil {
		return a == b
	}
	return strings.EqualFold(a.Suite, b.Suite) && string(a.Local) == string(b.Local) && string(a.Remote) == string(b.Remote)
}
