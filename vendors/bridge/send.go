package bridge

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/coder/websocket"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/bridge/wire"
)

// post writes one call to the page and returns its reply channel.
func (v *Vendor) post(ctx context.Context, call wire.Call) (chan string, error) {
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil, vendors.ErrClosed
	}
	c := v.conn
	v.nextID++
	id := v.nextID
	ch := make(chan string, 1)
	v.pending[id] = ch
	v.mu.Unlock()
	if c == nil {
		return nil, errors.New("bridge: not connected")
	}
	b, _ := json.Marshal(command{ID: id, Method: call.Method, Args: call.Args})
	return ch, c.Write(ctx, websocket.MessageText, b)
}

// Post runs one vendor call in the page and waits for its answer: a
// contacts push (sfphone.PushContacts), or a test page's hook.
func (v *Vendor) Post(ctx context.Context, call wire.Call) error {
	ch, err := v.post(ctx, call)
	if err != nil {
		return err
	}
	select {
	case msg := <-ch:
		if msg != "" {
			return errors.New(msg)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Send encodes c with the seed's translator and runs it in the page.
func (v *Vendor) Send(ctx context.Context, c session.Command) error {
	v.mu.Lock()
	closed, st := v.closed, v.state
	v.mu.Unlock()
	if closed {
		return vendors.ErrClosed
	}
	fail := func(reason string) error {
		v.emit(session.CommandFailed{Base: v.base(), Command: c.String(), Reason: reason})
		return errors.New(reason)
	}
	if err := session.Check(st, c); err != nil {
		return fail(err.Error())
	}
	if c.CallID == "" {
		c.CallID = currentCall(st, c.Verb)
	}
	call, err := v.spec.Encode(c)
	if err != nil {
		return fail(v.spec.Name + " has no " + string(c.Verb))
	}
	var answered chan struct{}
	if v.spec.Await != nil {
		if names := v.spec.Await(c.Verb); len(names) > 0 {
			answered = make(chan struct{})
			v.mu.Lock()
			for _, n := range names {
				v.awaiting[n] = append(v.awaiting[n], answered)
			}
			v.mu.Unlock()
			defer v.unawait(names, answered)
		}
	}
	ch, err := v.post(ctx, call)
	if err != nil {
		return fail("the bridge page is not reachable")
	}
	select {
	case msg := <-ch:
		if msg != "" {
			return fail(v.spec.Name + " refused " + string(c.Verb) + ": " + msg)
		}
	case <-ctx.Done():
		return fail("the page did not answer")
	}
	if answered == nil {
		return nil
	}
	wait, cancel := context.WithTimeout(ctx, AwaitTimeout)
	defer cancel()
	select {
	case <-answered:
		return nil
	case <-wait.Done():
		return fail(v.spec.Name + " did not answer " + string(c.Verb))
	}
}

// AwaitTimeout bounds Send's wait for the event that answers a command.
var AwaitTimeout = 5 * time.Second

// unawait drops a Send's waiter (answered or not); closing is read()'s.
func (v *Vendor) unawait(names []string, ch chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, n := range names {
		l := v.awaiting[n]
		for i, c := range l {
			if c == ch {
				v.awaiting[n] = append(l[:i:i], l[i+1:]...)
				break
			}
		}
		if len(v.awaiting[n]) == 0 {
			delete(v.awaiting, n)
		}
	}
}

// currentCall names the call a command without a CallID means, as the
// console does: the ringing call for answer and reject, the held call for
// retrieve, the call being talked on (else the held one) for the rest.
// Vendors whose methods take a call need its id.
func currentCall(st session.State, verb session.Verb) string {
	pick := func(ok ...func() (session.Call, bool)) string {
		for _, f := range ok {
			if c, found := f(); found {
				return c.ID
			}
		}
		return ""
	}
	switch verb {
	case session.VerbAnswer, session.VerbReject:
		return pick(st.Ringing)
	case session.VerbRetrieve:
		return pick(st.Held)
	case session.VerbHangup, session.VerbHold, session.VerbTransfer, session.VerbDTMF, session.VerbMute, session.VerbUnmute:
		return pick(st.Talking, st.Held, st.Ringing)
	}
	return ""
}
