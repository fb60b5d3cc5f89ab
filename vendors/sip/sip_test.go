package sip

import (
	"context"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/sip/siplab"
	"github.com/agentty/agentty/vendors"
)

func TestRegisterRightAndWrongPassword(t *testing.T) {
	k := siplab.StartKamailio(t, "MD5", siplab.User{Name: "alice", Password: "pa"})
	for _, tc := range []struct {
		pass string
		ok   bool
		code session.AuthCode
	}{{"pa", true, ""}, {"bad", false, session.AuthInvalidToken}} {
		v, err := vendors.New("sip", vendors.Config{Options: map[string]string{"user": "alice", "password": tc.pass, "domain": k.Addr()}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = v.Connect(ctx)
		cancel()
		if (err == nil) != tc.ok {
			t.Errorf("pass %q: err %v", tc.pass, err)
		}
		v.Close()
		var got *session.AuthResult
		for e := range v.Events() {
			if a, ok := e.(session.AuthResult); ok {
				got = &a
			}
		}
		if got == nil || got.OK != tc.ok || got.Code != tc.code {
			t.Errorf("pass %q: auth.result %+v", tc.pass, got)
		}
	}
}
