package session

// GroupStats is one group's queue as agents and supervisors see it.
type GroupStats struct {
	Group       string  `json:"group"`
	Waiting     int     `json:"waiting"`
	LongestWait Seconds `json:"longest_wait_s"`
	// Agents is how many agents are checked in to the group; Ready how
	// many of them are ready.
	Agents int `json:"agents"`
	Ready  int `json:"ready"`
	// ServiceLevel is the share of recent calls answered within the
	// group's target, 0..1; negative when there were none.
	ServiceLevel float64 `json:"service_level"`
	Answered     int     `json:"answered"`
	Abandoned    int     `json:"abandoned"`
}

// QueueStats reports the queues of the groups the user may see (phone-sdk
// onGetOrgAgtgrps with queue counts; Voximplant's ACD queue statistics). It
// replaces the previous report.
type QueueStats struct {
	Base
	Groups []GroupStats `json:"groups"`
}

// Type returns queue.stats.
func (QueueStats) Type() EventType { return TypeQueueStats }
