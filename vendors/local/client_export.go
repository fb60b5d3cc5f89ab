package local

import (
	"errors"

	"github.com/agentty/agentty/session"
)

// DropConnection cuts the client's connection under it, as a network
// failure would: the client then reconnects with backoff and resumes. It
// reports false when there was no connection to cut. The centre's tests
// use it to exercise resumption.
func (c *Client) DropConnection() bool {
	c.mu.Lock()
	ws := c.ws
	c.mu.Unlock()
	if ws == nil {
		return false
	}
	ws.CloseNow()
	return true
}

// AuthRefused reports the centre's code when err is a sign-in the centre
// refused (Connect does not retry those).
func AuthRefused(err error) (session.AuthCode, bool) {
	var ea errAuth
	if !errors.As(err, &ea) {
		return "", false
	}
	return ea.code, true
}
