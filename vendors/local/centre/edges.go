package centre

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/vendors/local/proto"
)

// DefaultByteRate is the bytes per second a connection may send (the frame
// rate limit alone let 64 KiB frames through at 50 a second); its burst
// is four maximal frames.
const DefaultByteRate = 64 << 10

// guard holds one connection's protocol checks beyond DecodeClient.
type guard struct {
	bytes   bucket
	lastID  int64
	dropped int
}

func (s *Server) newGuard() *guard {
	burst := float64(4 * proto.MaxFrame)
	return &guard{bytes: bucket{rate: s.cfg.ByteRate, burst: burst, tokens: burst}}
}

// allowN is allow for a cost of n tokens.
func (b *bucket) allowN(now time.Time, n float64) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

// refuseAndClose sends an error frame, then closes with code: RFC 6455
// says a binary frame where text is spoken is 1003 and text that is not
// UTF-8 is 1007.
func refuseAndClose(c *conn, code websocket.StatusCode, msg string) {
	c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeBadFrame, Error: msg}))
	c.closeWith.Store(int32(code))
	c.queue(nil)
}

// screen checks a frame before it is decoded; false means it was refused
// (and, for binary or invalid text, the connection is closing).
func (s *Server) screen(c *conn, g *guard, typ websocket.MessageType, data []byte) bool {
	if typ != websocket.MessageText {
		refuseAndClose(c, websocket.StatusUnsupportedData, "local: binary frames are not spoken here (JSON text only)")
		return false
	}
	if !utf8.Valid(data) {
		refuseAndClose(c, websocket.StatusInvalidFramePayloadData, "local: frame is not valid UTF-8")
		return false
	}
	if !g.bytes.allowN(s.clock.Now(), float64(len(data))) {
		if g.dropped%16 == 0 {
			c.queue(proto.Encode(proto.Frame{T: proto.KindError, Code: proto.CodeRateLimited,
				Error: "local: too many bytes; dropped"}))
		}
		g.dropped++
		return false
	}
	return true
}

// cmdID refuses a command id not above the connection's last one: a
// repeated (replayed) command is not carried out twice.
func (g *guard) cmdID(c *conn, id int64) bool {
	if id <= g.lastID {
		c.queue(proto.Encode(proto.Frame{T: proto.KindReply, ID: id, OK: false, Code: proto.CodeBadFrame,
			Error: "local: cmd id " + strconv.FormatInt(id, 10) + " repeated or out of order (last " + strconv.FormatInt(g.lastID, 10) + ")"}))
		return false
	}
	g.lastID = id
	return true
}
