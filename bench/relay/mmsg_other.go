//go:build !linux

package main

import "errors"

// The callers' batched, polled sockets are Linux only (recvmmsg,
// sendmmsg).

var errLinuxOnly = errors.New("the callers need Linux (recvmmsg, sendmmsg)")

type rawSock struct{ port int }

func openRawSock() (*rawSock, error)                            { return nil, errLinuxOnly }
func (s *rawSock) close() error                                 { return nil }
func (s *rawSock) sendTo(p []byte, src [4]byte, port int) error { return errLinuxOnly }
func (s *rawSock) recv(m *mmsgs) (int, error)                   { return 0, errLinuxOnly }
func (s *rawSock) send(m *mmsgs, n int) (int, error)            { return 0, errLinuxOnly }

type mmsgs struct {
	Bufs  [][]byte
	Ports []int
	Local [][4]byte
}

func legAddr(i int) [4]byte  { return [4]byte{127, 1, byte(i >> 8), byte(i)} }
func legIndex(a [4]byte) int { return int(a[2])<<8 | int(a[3]) }

func newMmsgs(n, size int) *mmsgs {
	m := &mmsgs{Bufs: make([][]byte, n), Ports: make([]int, n), Local: make([][4]byte, n)}
	for i := range m.Bufs {
		m.Bufs[i] = make([]byte, size)
	}
	return m
}
