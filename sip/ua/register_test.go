package ua

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/sip/siplab"
)

func TestRegisterAgainstKamailio(t *testing.T) {
	for _, alg := range []string{"MD5", "SHA-256"} {
		t.Run(alg, func(t *testing.T) {
			k := siplab.StartKamailio(t, alg, siplab.User{Name: "alice", Password: "s3cret"})
			for _, tc := range []struct {
				user, pass string
				want       error
			}{{"alice", "s3cret", nil}, {"alice", "wrong", ErrAuth}, {"nobody", "x", ErrUnknownUser}} {
				u, err := New(Config{User: tc.user, Password: tc.pass, Domain: k.Addr()})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				if err := u.Serve(ctx); err != nil {
					t.Fatal(err)
				}
				_, err = u.Register(ctx, time.Minute)
				cancel()
				if tc.want == nil && err != nil {
					t.Errorf("%s: %v\n%s", tc.user, err, k.Log())
				}
				if tc.want != nil && !errors.Is(err, tc.want) {
					t.Errorf("%s/%s: got %v, want %v", tc.user, tc.pass, err, tc.want)
				}
				if err != nil && tc.pass != "" && containsStr(err.Error(), tc.pass) {
					t.Errorf("error shows the password: %v", err)
				}
				u.Close()
			}
		})
	}
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }
