package main

import (
	"strings"
	"testing"
)

// The number rule is the console's: headless mode dials "+34 917 370 192"
// compacted (it sent the spaces to the backend before) and "*72" as a
// number, not a contact.
func TestHeadlessDialsNumbersAsTheConsoleDoes(t *testing.T) {
	isolate(t)
	out, err := run(t, "checkin\ndial +34 917 370 192\nhangup\ndial *72\nquit\n", "--headless", "--vendor", "scripted")
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	if !strings.Contains(out, `"type":"call.dialing","at"`) || !strings.Contains(out, `"to":"+34917370192"`) {
		t.Errorf("the number was not dialled compacted:\n%s", out)
	}
	if !strings.Contains(out, `"to":"*72"`) || strings.Contains(out, "no contact") {
		t.Errorf("*72 was not dialled as a number:\n%s", out)
	}
}
