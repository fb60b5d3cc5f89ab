package ua

import (
	"context"
	"errors"
	"fmt"
	"github.com/agentty/agentty/audio"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/audio/rtpleg"
	"github.com/agentty/agentty/sip/sdp"
	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Media is the calls' media settings.
type Media struct {
	Codecs []string
	SRTP   sdp.SRTPMode
	// Device opens the microphone and speaker for one call (nil: a paced
	// null device).
	Device func() (device.Device, error)
	// MicMeter and SpeakerMeter, when set, are shared by every call's leg
	// for the console's VU meters (optional).
	MicMeter, SpeakerMeter *audio.Meter
}

// Handler receives call events. Every method is called on a sipgo or
// call goroutine; it must hand the event over and return.
type Handler interface {
	Incoming(c *Call)
	Progress(c *Call, code int) // 180 or 183
	// Answered: the far end answered our call, or we answered theirs.
	Answered(c *Call)
	// Ended: by is "local" or "remote"; code is the SIP status that ended
	// it (0 for a BYE or a local hang-up).
	Ended(c *Call, by string, code int, reason string)
	Digit(c *Call, d rune)
	RemoteHold(c *Call, held bool)
}

// Call is one dialog with its media.
type Call struct {
	ID       string // our call id for session events ("s1", "s2" ...)
	Outbound bool
	// Remote is the far end: display name and user (or URI) from
	// P-Asserted-Identity, else From (incoming) or the dialled URI.
	RemoteName, RemoteUser string

	u      *UA
	mu     sync.Mutex
	rmu    sync.Mutex // one response at a time to the INVITE (180, 200, 486)
	cli    *sipgo.DialogClientSession
	srv    *sipgo.DialogServerSession
	cancel context.CancelFunc
	ports  *rtpleg.Ports
	local  sdp.Local
	offer  *sdp.Session // the far end's offer (incoming)
	leg    *rtpleg.Leg
	dev    device.Device
	ended  atomic.Bool
	// transferring: a REFER of ours is in progress.
	transferring atomic.Bool
	// referredBy: the call whose far end asked for this one (REFER),
	// told of its outcome by NOTIFY.
	referredBy *Call
	answer     chan struct{}
	done       chan struct{}
}

var callSeq atomic.Uint64

// Calls are set up by EnableCalls.
type calls struct {
	media Media
	h     Handler
	dua   *sipgo.DialogUA
	mu    sync.Mutex
	byDlg map[string]*Call
}

// EnableCalls installs the INVITE, ACK, BYE and CANCEL handlers; call it
// before Serve.
func (u *UA) EnableCalls(m Media, h Handler) {
	u.calls = &calls{media: m, h: h, dua: &sipgo.DialogUA{Client: u.Client, ContactHDR: u.Contact}, byDlg: map[string]*Call{}}
	u.Server.OnInvite(u.onInvite)
	u.Server.OnAck(func(req *sip.Request, tx sip.ServerTransaction) {
		if c := u.callOf(req); c != nil && c.srv != nil {
			_ = c.srv.ReadAck(req, tx)
		}
	})
	u.Server.OnBye(u.onBye)
	u.Server.OnCancel(func(req *sip.Request, tx sip.ServerTransaction) {})
	u.Server.OnInfo(u.onInfo)
	u.Server.OnNotify(u.onNotify)
	u.Server.OnRefer(u.onRefer)
}

func (u *UA) newCall(out bool) (*Call, error) {
	ip, err := netip.ParseAddr(u.host)
	if err != nil || ip.IsUnspecified() {
		ip = netip.MustParseAddr("127.0.0.1")
	}
	ports, err := rtpleg.Listen(ip)
	if err != nil {
		return nil, fmt.Errorf("ua: rtp ports: %w", err)
	}
	n := callSeq.Add(1)
	c := &Call{ID: fmt.Sprintf("s%d", n), Outbound: out, u: u, ports: ports, answer: make(chan struct{}), done: make(chan struct{})}
	c.local = sdp.Local{Addr: ports.RTP().Addr(), RTPPort: ports.RTP().Port(), RTCPPort: ports.RTCP().Port(),
		Codecs: u.calls.media.Codecs, SRTP: u.calls.media.SRTP, User: "agentty", SessionID: n + 1000, Version: 1}
	return c, nil
}

// URI turns a number, extension or sip: URI into a request URI.
func (u *UA) URI(target string) (sip.Uri, error) {
	var uri sip.Uri
	if lower := strings.ToLower(target); strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:") {
		if err := sip.ParseUri(target, &uri); err != nil {
			return uri, fmt.Errorf("ua: %q is not a SIP address: %w", target, err)
		}
		return uri, nil
	}
	if target == "" || strings.ContainsAny(target, " <>\"@") {
		return uri, fmt.Errorf("ua: %q is not a number or extension", target)
	}
	host, port := splitHostPort(u.cfg.Domain)
	return sip.Uri{User: target, Host: host, Port: port}, nil
}

// Dial places a call. It returns once the INVITE is sent; progress and
// the answer arrive on the Handler.
func (u *UA) Dial(ctx context.Context, target string) (*Call, error) {
	uri, err := u.URI(target)
	if err != nil {
		return nil, err
	}
	return u.dial(ctx, uri, nil, nil)
}

// dial places a call to uri with extra headers; before, when set, sees
// the call before the INVITE leaves.
func (u *UA) dial(ctx context.Context, uri sip.Uri, extra []sip.Header, before func(*Call)) (*Call, error) {
	c, err := u.newCall(true)
	if err != nil {
		return nil, err
	}
	c.RemoteUser = uri.User
	if c.RemoteUser == "" {
		c.RemoteUser = uri.String()
	}
	offer, err := sdp.Offer(c.local)
	if err != nil {
		c.ports.Close()
		return nil, fmt.Errorf("ua: offer: %w", err)
	}
	if len(offer.Audio.Crypto) > 0 {
		c.local.Key = offer.Audio.Crypto[0].Key
	}
	body, err := offer.Marshal()
	if err != nil {
		c.ports.Close()
		return nil, fmt.Errorf("ua: offer: %w", err)
	}
	req := sip.NewRequest(sip.INVITE, uri)
	req.SetDestination(u.target())
	req.SetTransport(strings.ToUpper(u.cfg.Transport))
	from := sip.FromHeader{DisplayName: u.cfg.DisplayName, Address: u.AOR(), Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(&from)
	req.AppendHeader(&sip.ToHeader{Address: uri, Params: sip.NewParams()})
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	for _, h := range extra {
		req.AppendHeader(h)
	}
	req.SetBody(body)
	if before != nil {
		before(c)
	}
	wctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	sess, err := u.calls.dua.WriteInvite(wctx, req)
	if err != nil {
		cancel()
		c.ports.Close()
		return nil, fmt.Errorf("ua: invite %s: %w", uri.String(), err)
	}
	c.cli = sess
	go c.waitAnswer(wctx, offer)
	return c, nil
}

func (c *Call) waitAnswer(ctx context.Context, offer *sdp.Session) {
	u := c.u
	err := c.cli.WaitAnswer(ctx, sipgo.AnswerOptions{Username: u.cfg.AuthUser, Password: u.cfg.Password,
		OnResponse: func(res *sip.Response) error {
			if res.StatusCode == 180 || res.StatusCode == 183 {
				if res.StatusCode == 183 && len(res.Body()) > 0 {
					c.startMedia(offer, res.Body())
				}
				u.calls.h.Progress(c, res.StatusCode)
			}
			return nil
		}})
	if err != nil {
		var de *sipgo.ErrDialogResponse
		code, reason := 0, err.Error()
		if errors.As(err, &de) {
			code, reason = de.Res.StatusCode, de.Res.Reason
		} else if ctx.Err() != nil {
			c.referOutcome(487, "Request Terminated")
			c.end("local", 487, "cancelled")
			return
		} else {
			code, reason = 408, "Request Timeout"
		}
		c.referOutcome(code, reason)
		c.end("remote", code, reason)
		return
	}
	if err := c.cli.Ack(context.Background()); err != nil {
		u.log.Warn("sip: ack", "call", c.ID, "err", err)
	}
	if ctx.Err() != nil {
		// Hung up while the 200 OK was on its way: the CANCEL came too
		// late, so end the call that was set up.
		bctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = c.cli.Bye(bctx)
		cancel()
		c.end("local", 0, "")
		return
	}
	u.calls.mu.Lock()
	u.calls.byDlg[c.cli.ID] = c
	u.calls.mu.Unlock()
	if !c.startMedia(offer, c.cli.InviteResponse.Body()) {
		_ = c.Hangup(context.Background())
		return
	}
	close(c.answer)
	u.calls.h.Answered(c)
	c.referOutcome(200, "OK")
}

// startMedia negotiates against the answer body and starts (or updates)
// the leg; false means no usable media.
func (c *Call) startMedia(offer *sdp.Session, body []byte) bool {
	ans, err := sdp.Parse(body)
	if err != nil {
		c.u.log.Warn("sip: answer sdp", "call", c.ID, "err", err)
		return false
	}
	p, err := sdp.Negotiate(offer, ans)
	if err != nil {
		c.u.log.Warn("sip: negotiate", "call", c.ID, "err", err)
		return false
	}
	return c.setLeg(p)
}

func (c *Call) setLeg(p rtpleg.Params) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.leg != nil {
		if err := c.leg.Update(p); err != nil {
			c.u.log.Warn("sip: media update", "call", c.ID, "err", err)
		}
		return true
	}
	var dev device.Device
	if f := c.u.calls.media.Device; f != nil {
		d, err := f()
		if err != nil {
			c.u.log.Warn("sip: audio device", "call", c.ID, "err", err)
		} else {
			dev = d
		}
	}
	leg, err := rtpleg.Start(c.ports, p, rtpleg.Config{Device: dev,
		MicMeter: c.u.calls.media.MicMeter, SpeakerMeter: c.u.calls.media.SpeakerMeter,
		OnDigit: func(d rune) { c.u.calls.h.Digit(c, d) },
		OnError: func(err error) { c.u.log.Debug("sip: rtp", "call", c.ID, "err", err) }})
	if err != nil {
		c.u.log.Warn("sip: media start", "call", c.ID, "err", err)
		if dev != nil {
			dev.Close()
		}
		return false
	}
	c.leg, c.dev = leg, dev
	return true
}

// end releases the call once and tells the handler.
func (c *Call) end(by string, code int, reason string) {
	if !c.ended.CompareAndSwap(false, true) {
		return
	}
	defer close(c.done)
	c.mu.Lock()
	leg, dev := c.leg, c.dev
	c.leg, c.dev = nil, nil
	c.mu.Unlock()
	if leg != nil {
		leg.Close()
	} else {
		c.ports.Close()
	}
	if dev != nil {
		dev.Close()
	}
	if c.cancel != nil {
		c.cancel()
	}
	calls := c.u.calls
	calls.mu.Lock()
	for k, v := range calls.byDlg {
		if v == c {
			delete(calls.byDlg, k)
		}
	}
	calls.mu.Unlock()
	calls.h.Ended(c, by, code, reason)
}

// Hangup sends BYE on an answered call, CANCEL on one still dialling.
func (c *Call) Hangup(ctx context.Context) error {
	if c.ended.Load() {
		return nil
	}
	var err error
	switch {
	case c.cli != nil:
		select {
		case <-c.answer:
			err = c.cli.Bye(ctx)
		default:
			c.cancel() // WaitAnswer sends CANCEL and ends the call
			return nil
		}
	case c.srv != nil:
		err = c.srv.Bye(ctx)
	}
	c.end("local", 0, "")
	return err
}

// SendDTMF sends digits as RFC 4733 events, or by SIP INFO when the far
// end offered no telephone-event.
func (c *Call) SendDTMF(ctx context.Context, digits string) error {
	c.mu.Lock()
	leg := c.leg
	c.mu.Unlock()
	if leg == nil {
		return errors.New("ua: no media yet")
	}
	if leg.CanSendDTMF() {
		return leg.SendDTMF(digits)
	}
	for _, d := range digits {
		if err := c.info(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// SetMuted mutes the microphone.
func (c *Call) SetMuted(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.leg != nil {
		c.leg.SetMuted(on)
	}
}

// Leg is the call's media leg (nil before media).
func (c *Call) Leg() *rtpleg.Leg {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.leg
}
