package selfcert

import (
	"crypto/tls"
	"testing"
)

// A client trusting Pool() completes a handshake with a server using
// the certificate, on loopback.
func TestHandshake(t *testing.T) {
	c, err := New("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{c.TLS}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		s, err := l.Accept()
		if err == nil {
			err = s.(*tls.Conn).Handshake()
			s.Close()
		}
		done <- err
	}()
	conn, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{RootCAs: c.Pool()})
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
