package proto

// Close codes of the signalling socket (4000-4999 are the application's).
// They are untyped so both the centre and the client compare them with
// the WebSocket library's status codes.
const (
	CloseAuthFailed = 4001 // the hello's token was refused; do not retry
	CloseConflict   = 4002 // the same user connected elsewhere; do not retry
	CloseBadHello   = 4003 // no valid hello
)
