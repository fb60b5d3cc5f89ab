package ua

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// PeerState is what a watched colleague is doing, from the dialog event
// package (RFC 4235).
type PeerState string

// Peer states.
const (
	PeerUnknown PeerState = ""        // not known (yet), or the watch failed
	PeerIdle    PeerState = "idle"    // no dialog
	PeerRinging PeerState = "ringing" // a call rings them (early, recipient)
	PeerOnCall  PeerState = "on_call" // talking, or dialling out
)

// DialogInfo is a parsed application/dialog-info+xml document.
type DialogInfo struct {
	Entity  string
	Version int
	Full    bool // state="full": the list replaces what was known
	Dialogs []DialogEntry
}

// DialogEntry is one <dialog> of a dialog-info document.
type DialogEntry struct {
	ID        string
	CallID    string
	Direction string // initiator or recipient
	State     string // trying, proceeding, early, confirmed, terminated
	Remote    string // the other party's identity, when given
}

type xmlDialogInfo struct {
	XMLName xml.Name `xml:"dialog-info"`
	Entity  string   `xml:"entity,attr"`
	Version int      `xml:"version,attr"`
	State   string   `xml:"state,attr"`
	Dialogs []struct {
		ID        string `xml:"id,attr"`
		CallID    string `xml:"call-id,attr"`
		Direction string `xml:"direction,attr"`
		State     string `xml:"state"`
		Remote    struct {
			Identity string `xml:"identity"`
		} `xml:"remote"`
	} `xml:"dialog"`
}

// maxDialogInfo bounds a document (a NOTIFY body is small).
const maxDialogInfo = 64 << 10

// ParseDialogInfo reads a dialog-info document.
func ParseDialogInfo(body []byte) (DialogInfo, error) {
	if len(body) > maxDialogInfo {
		return DialogInfo{}, fmt.Errorf("ua: dialog-info: %d bytes is too long", len(body))
	}
	var x xmlDialogInfo
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	if err := d.Decode(&x); err != nil {
		return DialogInfo{}, fmt.Errorf("ua: dialog-info: %w", err)
	}
	switch x.State {
	case "full", "partial":
	default:
		return DialogInfo{}, fmt.Errorf("ua: dialog-info: state %q is neither full nor partial", clip(x.State))
	}
	if x.Entity == "" {
		return DialogInfo{}, errors.New("ua: dialog-info: no entity")
	}
	info := DialogInfo{Entity: x.Entity, Version: x.Version, Full: x.State == "full"}
	for _, dl := range x.Dialogs {
		if dl.ID == "" {
			return DialogInfo{}, errors.New("ua: dialog-info: a dialog without id")
		}
		info.Dialogs = append(info.Dialogs, DialogEntry{ID: dl.ID, CallID: dl.CallID, Direction: strings.TrimSpace(dl.Direction),
			State: strings.ToLower(strings.TrimSpace(dl.State)), Remote: strings.TrimSpace(dl.Remote.Identity)})
	}
	return info, nil
}

// peerState sums up the dialogs a watcher knows of one colleague: on a
// call when any dialog is confirmed or one of theirs is being set up,
// ringing when a call to them is early, else idle.
func peerState(dialogs map[string]DialogEntry) PeerState {
	st := PeerIdle
	for _, d := range dialogs {
		switch d.State {
		case "confirmed":
			return PeerOnCall
		case "trying", "proceeding", "early":
			if d.Direction == "initiator" {
				return PeerOnCall
			}
			st = PeerRinging
		}
	}
	return st
}
