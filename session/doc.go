// Package session is agentty's domain core: the normalized events that every
// vendor adapter produces, the commands that every screen and the headless mode
// issue, the State they act on, the reducer Apply and the guard Check.
//
// The package is pure. It imports the standard library only, starts no
// goroutine, does no I/O and never reads a clock: time arrives inside events
// (Event.Time) and is the only time the core knows.
//
// Data flows one way:
//
//	wire -> vendor adapter -> Event -> Apply -> State -> UI
//	key  -> Command -> Check -> vendor
//
// Everything that crosses the wire or the disk is an explicit string (event
// type names, agent states, call phases), never an iota number.
package session
