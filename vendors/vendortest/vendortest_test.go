package vendortest_test

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors"
	"github.com/agentty/agentty/vendors/fake"
	"github.com/agentty/agentty/vendors/vendortest"
)

// yes is a backend that never refuses on its own: it accepts whatever
// reaches it and says nothing (the client-side Check would have stopped
// it). The refusal test must catch it.
type yes struct{ *fake.Vendor }

func (yes) Send(context.Context, session.Command) error { return nil }

// quiet refuses but emits no command.failed.
type quiet struct{ *fake.Vendor }

func (quiet) Send(context.Context, session.Command) error { return errSay("no") }

type errSay string

func (e errSay) Error() string { return string(e) }

func TestRefusalCatchesABackendThatDoesNotRefuse(t *testing.T) {
	for name, mk := range map[string]func(*fake.Vendor) vendors.Vendor{
		"accepts":           func(f *fake.Vendor) vendors.Vendor { return yes{f} },
		"no command.failed": func(f *fake.Vendor) vendors.Vendor { return quiet{f} },
		"scripted":          func(f *fake.Vendor) vendors.Vendor { return f },
		"scripted phone":    func(*fake.Vendor) vendors.Vendor { return fake.NewPhone(nil, "") },
	} {
		t.Run(name, func(t *testing.T) {
			v := mk(fake.New(nil, session.RoleAgent, ""))
			defer v.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := v.Connect(ctx); err != nil {
				t.Fatal(err)
			}
			s := vendortest.Follow(t, v, 10*time.Second)
			s.Drain()
			err := vendortest.Refusal(ctx, s, session.Command{Verb: session.VerbHold})
			if refuses := name == "scripted" || name == "scripted phone"; refuses != (err == nil) {
				t.Errorf("refusal of hold with no call: %v", err)
			}
		})
	}
}
