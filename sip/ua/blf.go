package ua

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
)

// Busy-lamp field: SUBSCRIBE to the dialog event package (RFC 4235) of
// each watched colleague, NOTIFYs folded into a PeerState per colleague.

// watch is one subscription.
type watch struct {
	user    string
	uri     sip.Uri
	callID  string
	fromTag string
	toTag   string
	cseq    uint32
	dialogs map[string]DialogEntry
	state   PeerState
	version int    // of the last document applied
	verTag  string // the subscription dialog it came in (the notifier's tag)
	applied bool   // a document has been applied
}

// apply takes one dialog-info document and returns the peer's state, or
// false for a document older than the last one applied: a server with
// several workers (Kamailio's presence) may send NOTIFYs out of order,
// and RFC 4235 numbers them so that a stale one is dropped. Called with
// the watcher's lock held. Versions count within one subscription
// dialog (tag, the notifier's From tag): a new subscription starts again.
func (wt *watch) apply(info DialogInfo, tag string) (PeerState, bool) {
	if wt.applied && wt.verTag == tag && info.Version <= wt.version {
		return wt.state, false
	}
	wt.version, wt.verTag, wt.applied = info.Version, tag, true
	if info.Full {
		wt.dialogs = map[string]DialogEntry{}
	}
	for _, d := range info.Dialogs {
		if d.State == "terminated" {
			delete(wt.dialogs, d.ID)
			continue
		}
		wt.dialogs[d.ID] = d
	}
	return peerState(wt.dialogs), true
}

// watcher holds the UA's subscriptions.
type watcher struct {
	mu      sync.Mutex
	byCall  map[string]*watch
	onState func(user string, st PeerState)
	cancel  context.CancelFunc
	done    chan struct{}
}

// watchExpires is the subscription lifetime asked for.
const watchExpires = 600 * time.Second

// Watch subscribes to the dialog state of each user (extension or sip:
// URI) and calls onState (on a sipgo goroutine) whenever one's state
// changes; subscriptions are refreshed at half their lifetime and
// removed on Close. Call it after Serve. A user whose SUBSCRIBE is
// refused is reported PeerUnknown and retried at the next refresh.
func (u *UA) Watch(ctx context.Context, users []string, onState func(user string, st PeerState)) error {
	rctx, cancel := context.WithCancel(context.Background())
	w := &watcher{byCall: map[string]*watch{}, onState: onState, cancel: cancel, done: make(chan struct{})}
	var all []*watch
	for _, usr := range users {
		usr = strings.TrimSpace(usr)
		if usr == "" {
			continue
		}
		uri, err := u.URI(usr)
		if err != nil {
			cancel()
			return fmt.Errorf("ua: watch: %w", err)
		}
		wt := &watch{user: usr, uri: uri, callID: sip.GenerateTagN(16), fromTag: sip.GenerateTagN(10), dialogs: map[string]DialogEntry{}}
		w.byCall[wt.callID] = wt
		all = append(all, wt)
	}
	u.mu.Lock()
	if u.closed || u.watcher != nil {
		u.mu.Unlock()
		cancel()
		return errors.New("ua: watch: closed, or already watching")
	}
	u.watcher = w
	u.mu.Unlock()
	go u.refreshWatches(rctx, w, all)
	var first error
	for _, wt := range all {
		if _, err := u.subscribe(ctx, wt, watchExpires); err != nil {
			u.log.Warn("sip: watch", "user", wt.user, "err", err)
			if first == nil {
				first = err
			}
		}
	}
	return first
}

func (u *UA) refreshWatches(ctx context.Context, w *watcher, all []*watch) {
	defer close(w.done)
	every := watchExpires / 2
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
		for _, wt := range all {
			rctx, cancel := context.WithTimeout(ctx, 8*time.Second)
			if _, err := u.subscribe(rctx, wt, watchExpires); err != nil && ctx.Err() == nil {
				u.log.Warn("sip: watch refresh", "user", wt.user, "err", err)
				u.setPeer(w, wt, PeerUnknown)
			}
			cancel()
		}
	}
}

// subscribe sends one SUBSCRIBE (expires 0 ends the subscription).
func (u *UA) subscribe(ctx context.Context, wt *watch, expires time.Duration) (*sip.Response, error) {
	req := sip.NewRequest(sip.SUBSCRIBE, wt.uri)
	req.SetDestination(u.target())
	req.SetTransport(strings.ToUpper(u.cfg.Transport))
	from := sip.FromHeader{DisplayName: u.cfg.DisplayName, Address: u.AOR(), Params: sip.NewParams()}
	from.Params.Add("tag", wt.fromTag)
	req.AppendHeader(&from)
	to := sip.ToHeader{Address: wt.uri, Params: sip.NewParams()}
	u.mu.Lock()
	if wt.toTag != "" {
		to.Params.Add("tag", wt.toTag)
	}
	wt.cseq++
	cseq := wt.cseq
	u.mu.Unlock()
	req.AppendHeader(&to)
	c := u.Contact
	req.AppendHeader(&c)
	cid := sip.CallIDHeader(wt.callID)
	req.AppendHeader(&cid)
	req.AppendHeader(&sip.CSeqHeader{SeqNo: cseq, MethodName: sip.SUBSCRIBE})
	req.AppendHeader(sip.NewHeader("Event", "dialog"))
	req.AppendHeader(sip.NewHeader("Accept", "application/dialog-info+xml"))
	req.AppendHeader(sip.NewHeader("Expires", strconv.Itoa(int(expires.Seconds()))))
	res, err := u.Client.Do(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("ua: subscribe %s: %w", wt.user, err)
	}
	if res.StatusCode == 401 || res.StatusCode == 407 {
		u.mu.Lock()
		wt.cseq++
		u.mu.Unlock()
		res, err = u.Client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: u.cfg.AuthUser, Password: u.cfg.Password})
		if err != nil {
			return nil, fmt.Errorf("ua: subscribe %s: %w", wt.user, err)
		}
		if cs := req.CSeq(); cs != nil {
			u.mu.Lock()
			wt.cseq = cs.SeqNo
			u.mu.Unlock()
		}
	}
	if res.StatusCode/100 != 2 {
		u.mu.Lock()
		wt.toTag = "" // a refused refresh starts a new subscription next time
		u.mu.Unlock()
		return res, fmt.Errorf("ua: subscribe %s: %d %s", wt.user, res.StatusCode, res.Reason)
	}
	if tag, ok := res.To().Params.Get("tag"); ok {
		u.mu.Lock()
		wt.toTag = tag
		u.mu.Unlock()
	}
	return res, nil
}

// onDialogNotify takes a dialog-event NOTIFY (RFC 4235) for a watch.
func (u *UA) onDialogNotify(req *sip.Request, tx sip.ServerTransaction) {
	u.mu.Lock()
	w := u.watcher
	u.mu.Unlock()
	var wt *watch
	if w != nil && req.CallID() != nil {
		w.mu.Lock()
		wt = w.byCall[req.CallID().Value()]
		w.mu.Unlock()
	}
	if wt == nil {
		_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Subscription Does Not Exist", nil))
		return
	}
	if len(bytes.TrimSpace(req.Body())) == 0 {
		// No document: the server knows no dialog of theirs (nothing
		// was published since it started), so they are idle.
		_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
		w.mu.Lock()
		wt.dialogs = map[string]DialogEntry{}
		w.mu.Unlock()
		u.setPeer(w, wt, PeerIdle)
		return
	}
	info, err := ParseDialogInfo(req.Body())
	if err != nil {
		u.log.Warn("sip: dialog notify", "user", wt.user, "err", err)
		_ = tx.Respond(sip.NewResponseFromRequest(req, 400, "Bad Request", nil))
		return
	}
	_ = tx.Respond(sip.NewResponseFromRequest(req, 200, "OK", nil))
	tag := ""
	if from := req.From(); from != nil {
		tag, _ = from.Params.Get("tag")
	}
	w.mu.Lock()
	st, fresh := wt.apply(info, tag)
	w.mu.Unlock()
	if !fresh {
		u.log.Debug("sip: stale dialog notify dropped", "user", wt.user, "version", info.Version)
		return
	}
	u.setPeer(w, wt, st)
}

// setPeer records st and tells onState when it changed.
func (u *UA) setPeer(w *watcher, wt *watch, st PeerState) {
	w.mu.Lock()
	changed := wt.state != st
	wt.state = st
	w.mu.Unlock()
	if changed && w.onState != nil {
		w.onState(wt.user, st)
	}
}

// stopWatching ends every subscription (best effort, 2 s in all).
func (u *UA) stopWatching() {
	u.mu.Lock()
	w := u.watcher
	u.watcher = nil
	u.mu.Unlock()
	if w == nil {
		return
	}
	w.cancel()
	<-w.done
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	w.mu.Lock()
	var all []*watch
	for _, wt := range w.byCall {
		all = append(all, wt)
	}
	w.mu.Unlock()
	for _, wt := range all {
		_, _ = u.subscribe(ctx, wt, 0)
	}
}
