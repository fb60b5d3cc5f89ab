package session

// AudioDevice is one microphone or speaker of this machine as a backend
// that carries calls' audio here lists it (vendors.Devices) and the
// console offers it. Plain data: the core neither lists nor opens devices.
type AudioDevice struct {
	Name    string // what the backend's settings take (--mic, --speaker)
	Desc    string // what the person reads
	Capture bool   // a microphone (a source), else a speaker (a sink)
	Default bool   // the system's default
	InUse   bool   // the one the next call opens
}
