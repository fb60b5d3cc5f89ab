package centre

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/local/proto"
)

// closeStatus reads until the connection closes and returns its status,
// with the error frame that came first.
func (r *raw) closeStatus() (websocket.StatusCode, string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := ""
	for {
		_, data, err := r.ws.Read(ctx)
		if err != nil {
			return websocket.CloseStatus(err), msg
		}
		if f, _, err := proto.DecodeServer(data); err == nil && f.T == proto.KindError {
			msg = f.Error
		}
	}
}

// A binary frame is refused with an error frame and close 1003, text that
// is not UTF-8 with close 1007 (RFC 6455 7.4.1), and a frame over 64 KiB
// with close 1009.
func TestBinaryAndInvalidUTF8AreRefused(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	for _, tc := range []struct {
		name string
		typ  websocket.MessageType
		data []byte
		want websocket.StatusCode
	}{
		{"binary", websocket.MessageBinary, []byte(`{"t":"cmd","id":1,"cmd":{"verb":"checkin"}}`), websocket.StatusUnsupportedData},
		{"invalid utf-8", websocket.MessageText, []byte("{\"t\":\"cmd\",\"id\":1,\"cmd\":{\"verb\":\"notready\",\"reason\":\"\xff\xfe\"}}"), websocket.StatusInvalidFramePayloadData},
		{"over 64 KiB", websocket.MessageText, []byte(`{"t":"bye","x":"` + strings.Repeat("a", proto.MaxFrame) + `"}`), websocket.StatusMessageTooBig},
	} {
		r := c.raw(c.token(session.RoleAgent, "a"+strings.ReplaceAll(tc.name, " ", "")))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := r.ws.Write(ctx, tc.typ, tc.data); err != nil {
			t.Fatal(err)
		}
		cancel()
		got, msg := r.closeStatus()
		if got != tc.want {
			t.Errorf("%s: close %v, want %v", tc.name, got, tc.want)
		}
		if tc.want != websocket.StatusMessageTooBig && msg == "" {
			t.Errorf("%s: no error frame before the close", tc.name)
		}
	}
}

// A repeated cmd id is refused, not carried out twice.
func TestRepeatedCmdIDIsRefused(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	r := c.raw(c.token(session.RoleAgent, "a"))
	r.send(`{"t":"cmd","id":5,"cmd":{"verb":"checkin"}}`)
	if f := r.reply(5); !f.OK {
		t.Fatalf("checkin: %+v", f)
	}
	r.send(`{"t":"cmd","id":5,"cmd":{"verb":"checkin"}}`)
	if f := r.reply(5); f.OK || f.Code != proto.CodeBadFrame || !strings.Contains(f.Error, "repeated") {
		t.Fatalf("repeated id: %+v", f)
	}
	r.send(`{"t":"cmd","id":6,"cmd":{"verb":"ready"}}`)
	if f := r.reply(6); !f.OK {
		t.Fatalf("next id: %+v", f)
	}
}

// dtmf digits are capped; a signal frame without its SDP or candidate is
// an error.
func TestDTMFCapAndBadSignals(t *testing.T) {
	c := newCentre(t, ServerConfig{})
	r := c.raw(c.token(session.RoleAgent, "a"))
	for _, bad := range []string{
		fmt.Sprintf(`{"t":"cmd","id":1,"cmd":{"verb":"dtmf","digits":%q}}`, strings.Repeat("1", proto.MaxDigits+1)),
		`{"t":"signal","signal":{"call_id":"c1","kind":"answer"}}`,
		`{"t":"signal","signal":{"call_id":"c1","kind":"ice"}}`,
	} {
		r.send(bad)
		if f := r.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindError }); f.Code != proto.CodeBadFrame {
			t.Errorf("%s: %+v", bad, f)
		}
	}
}

// The rate limit counts bytes too: frames of 60 KiB past the burst are
// dropped although few.
func TestByteRateLimit(t *testing.T) {
	c := newCentre(t, ServerConfig{}) // the fake clock stands still: no refill
	r := c.raw(c.token(session.RoleAgent, "a"))
	big := strings.Repeat("x", 60<<10)
	for i := 1; i <= 6; i++ {
		r.send(fmt.Sprintf(`{"t":"cmd","id":%d,"cmd":{"verb":"notready","reason":"r"},"pad":%q}`, i, big))
	}
	f := r.until(func(f proto.Frame, _ session.Event) bool { return f.T == proto.KindError })
	if f.Code != proto.CodeRateLimited || !strings.Contains(f.Error, "bytes") {
		t.Fatalf("six 60 KiB frames: %+v", f)
	}
}
