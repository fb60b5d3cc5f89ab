package session

// TypeConnectionSynced is the wire name of ConnectionSynced.
const TypeConnectionSynced EventType = "connection.synced"

// ConnectionSynced closes a sign-in snapshot: the backend has now stated
// the whole of this user's session, and what it did not repeat is gone.
// The reducer ends every live call not in Calls (by the system, with
// Outcome OutcomeCentreLost or OutcomeCentreRestarted), takes State as the
// agent's state (offline when not CheckedIn), and leaves the queue unless
// Queued. Restarted says the backend did not know the session the client
// resumed: it restarted (or forgot the session), so whatever the client
// still held was lost there.
type ConnectionSynced struct {
	Base
	Restarted bool       `json:"restarted,omitempty"`
	Calls     []string   `json:"calls"`
	CheckedIn bool       `json:"checked_in,omitempty"`
	State     AgentState `json:"state,omitempty"`
	Queued    bool       `json:"queued,omitempty"`
}

// Type implements Event.
func (ConnectionSynced) Type() EventType { return TypeConnectionSynced }

// Outcomes of a call the backend no longer knows (see ConnectionSynced).
const (
	OutcomeCentreRestarted = "ended: the centre restarted"
	OutcomeCentreLost      = "ended: the centre no longer has this call"
)

func init() {
	newEvent[TypeConnectionSynced] = func() Event { return &ConnectionSynced{} }
}
