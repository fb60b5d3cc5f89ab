package rtc

import (
	"slices"
	"testing"

	"github.com/agentty/agentty/audio"
)

func TestCodecsFor(t *testing.T) {
	for _, tc := range []struct {
		opt  string
		want []string
		bad  bool
	}{
		{"pcmu", []string{audio.NamePCMU}, false},
		{"PCMA", []string{audio.NamePCMA}, false},
		{"speex", nil, true},
	} {
		got, err := CodecsFor(tc.opt)
		if (err != nil) != tc.bad || !slices.Equal(got, tc.want) {
			t.Errorf("CodecsFor(%q) = %v, %v; want %v (error %v)", tc.opt, got, err, tc.want, tc.bad)
		}
	}
	if got, _ := CodecsFor(""); len(got) < 2 {
		t.Errorf("CodecsFor(\"\") = %v, want every codec", got)
	}
}
