// Command sipsetup measures SIP call set-up through Kamailio: the time
// from placing a call to holding its 200 OK, over N sequential calls to a
// sipp callee that answers at once, for agentty's user agent (sip/ua)
// and for baresip driven over its control socket, on the same Kamailio
// and sipp. Every call is hung up (BYE) before the next.
//
//	go run -tags nolibopusfile ./bench/sipsetup -calls 100
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/agentty/agentty/audio/device"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/sip/ua"
)

func main() {
	calls := flag.Int("calls", 100, "calls per user agent")
	flag.Parse()
	log.SetFlags(0)
	dir, err := os.MkdirTemp("", "sipsetup")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sub := func(name string) string {
		d := dir + "/" + name
		if err := os.Mkdir(d, 0o700); err != nil {
			log.Fatal(err)
		}
		return d
	}
	k, err := siplab.LaunchKamailio(sub("kamailio"), "MD5", siplab.User{Name: "201", Password: "pa"}, siplab.User{Name: "203", Password: "pc"})
	if err != nil {
		log.Fatalf("sipsetup: %v", err)
	}
	defer k.Stop()
	xml, err := siplab.ScenarioText(siplab.SippUASAnswer)
	if err != nil {
		log.Fatal(err)
	}
	s, err := siplab.LaunchSipp(sub("sipp"), xml, "")
	if err != nil {
		log.Fatalf("sipsetup: %v", err)
	}
	defer s.Stop()
	target := "sip:answer@" + s.Addr()

	fmt.Printf("call set-up through Kamailio to a sipp callee that answers at once, %d sequential calls each\n", *calls)
	a, err := agentty(k, target, *calls)
	report("agentty (sip/ua): dial -> 200 OK", a, err)
	b, err := baresip(sub("baresip"), k, target, *calls)
	report("baresip 1.0 (ctrl_tcp): dial -> CALL_ESTABLISHED", b, err)
}

func report(name string, d []time.Duration, err error) {
	if err != nil {
		fmt.Printf("%-50s failed: %v\n", name, err)
		return
	}
	slices.Sort(d)
	fmt.Printf("%-50s n=%d p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", name, len(d), ms(pct(d, 50)), ms(pct(d, 99)), ms(d[len(d)-1]))
}

func pct(d []time.Duration, p int) time.Duration {
	i := (len(d)*p+99)/100 - 1
	return d[max(0, min(i, len(d)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// events is a ua.Handler that hands answers and ends to channels.
type events struct{ answered, ended chan struct{} }

func (e events) Incoming(*ua.Call)         {}
func (e events) Progress(*ua.Call, int)    {}
func (e events) Answered(*ua.Call)         { e.answered <- struct{}{} }
func (e events) Digit(*ua.Call, rune)      {}
func (e events) RemoteHold(*ua.Call, bool) {}
func (e events) Ended(*ua.Call, string, int, string) {
	e.ended <- struct{}{}
}

// agentty times ua.Dial to Handler.Answered (the 200 OK in, ACK sent,
// RTP leg started) with a null sound device.
func agentty(k *siplab.Kamailio, target string, n int) ([]time.Duration, error) {
	u, err := ua.New(ua.Config{User: "201", Password: "pa", Domain: k.Addr(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	ev := events{answered: make(chan struct{}, 1), ended: make(chan struct{}, 1)}
	u.EnableCalls(ua.Media{Codecs: []string{"pcmu"}, Device: func() (device.Device, error) { return device.NewNull(true), nil }}, ev)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := u.Serve(ctx); err != nil {
		return nil, err
	}
	if err := u.Start(ctx, func(ua.State) {}); err != nil {
		return nil, err
	}
	defer u.Close()
	var out []time.Duration
	for range n {
		t0 := time.Now()
		c, err := u.Dial(context.Background(), target)
		if err != nil {
			return out, err
		}
		select {
		case <-ev.answered:
		case <-ev.ended:
			return out, fmt.Errorf("call %d failed", len(out)+1)
		case <-time.After(5 * time.Second):
			return out, fmt.Errorf("call %d: no answer", len(out)+1)
		}
		out = append(out, time.Since(t0))
		hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = c.Hangup(hctx)
		hcancel()
		if err != nil {
			return out, fmt.Errorf("bye: %w", err)
		}
		<-ev.ended
	}
	return out, nil
}

// baresip times the ctrl_tcp dial command to the CALL_ESTABLISHED event,
// its calls sent through Kamailio as its outbound proxy.
func baresip(dir string, k *siplab.Kamailio, target string, n int) ([]time.Duration, error) {
	b, err := siplab.LaunchBaresip(dir, siplab.BaresipConfig{User: "203", Password: "pc", Registrar: k.Addr(),
		Extra: `;outbound="sip:` + k.Addr() + `";audio_codecs=PCMU`})
	if err != nil {
		return nil, err
	}
	defer b.Stop()
	if err := b.Registered(5 * time.Second); err != nil {
		return nil, err
	}
	var out []time.Duration
	for range n {
		t0 := time.Now()
		if _, err := b.Command("dial", target); err != nil {
			return out, err
		}
		if _, err := b.NextEvent("CALL_ESTABLISHED", 5*time.Second); err != nil {
			return out, err
		}
		out = append(out, time.Since(t0))
		if _, err := b.Command("hangup", ""); err != nil {
			return out, err
		}
		if _, err := b.NextEvent("CALL_CLOSED", 5*time.Second); err != nil {
			return out, err
		}
	}
	return out, nil
}
