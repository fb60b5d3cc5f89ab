package main

import (
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
)

// addRecordingFlags adds the centre's call recording flags to serve.
func addRecordingFlags(f *pflag.FlagSet, dir *string, keep *time.Duration) {
	f.StringVar(dir, "recordings", "", "directory of call recordings (default DATA/recordings; \"off\" records nothing)")
	f.DurationVar(keep, "recording-retention", 0, "remove call recordings older than this, checked every minute (0 keeps them)")
}

// recordingsDir is where serve writes recordings: flag, or DATA/recordings;
// "off" is none.
func recordingsDir(data, flag string) string {
	switch flag {
	case "off":
		return ""
	case "":
		return filepath.Join(data, "recordings")
	}
	return flag
}
