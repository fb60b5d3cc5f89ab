package ui

import (
	"fmt"
	"testing"

	"github.com/agentty/agentty/session"
)

func TestSmoke(t *testing.T) {
	h := newHarness(t, session.RoleAgent, nil)
	fmt.Println(h.screen())
	h.press("i", "g")
	h.v.Ring("+34917370192")
	h.drain()
	fmt.Println(h.screen())
	h.press("a")
	fmt.Println(h.screen())
	h.press("t")
	fmt.Println(h.screen())
}
