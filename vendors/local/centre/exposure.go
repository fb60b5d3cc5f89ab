package centre

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
)

// bearer wraps h so that it answers only requests carrying
// "Authorization: Bearer TOKEN"; an empty token lets every request in.
func bearer(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="agentty metrics"`)
			http.Error(w, "local: /metrics needs its bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ClearTextWarning returns a warning when the centre would listen on a
// non-loopback address without TLS (tokens and calls' signalling in clear
// text on the network), or "".
func ClearTextWarning(listen string, tls bool) string {
	if tls {
		return ""
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	if host == "localhost" {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ""
	}
	return fmt.Sprintf("listening on %s without TLS: tokens and signalling cross the network in clear text (use --tls-cert and --tls-key)", listen)
}
