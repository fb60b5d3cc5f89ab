package session

// GroupStats is one group's queue as agents and supervisors see it.
type GroupStats struct {
	Group   string `json:"group"`
	Waiting int    `json:"waiting"`
	// Callbacks is how many of the waiting are callbacks (the caller hung
	// up and keeps its place).
	Callbacks   int     `json:"callbacks,omitempty"`
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
	// ArrivalsPerHour is the group's recent arrival rate and HandleTime
	// its recent mean handle time (talk and after-call work); zero when
	// the centre does not know them yet. The supervisor's what-if line
	// (Erlang C) reads them.
	ArrivalsPerHour float64 `json:"arrivals_per_hour,omitempty"`
	HandleTime      Seconds `json:"handle_time_s,omitempty"`
	// AgentsNeeded is the what-if figure: the agents Erlang C says the
	// group needs for its service-level target at that arrival rate and
	// handle time; 0 when unknown.
	AgentsNeeded int `json:"agents_needed,omitempty"`
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
