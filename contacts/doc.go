// Package contacts is agentty's address book: streaming vCard import, a
// durable bleve index on disk, idle-time indexing, search as you type,
// caller-ID lookup and volatile contacts pushed by a vendor.
//
// It imports nothing of agentty's own; main.go and the UI call it.
package contacts
