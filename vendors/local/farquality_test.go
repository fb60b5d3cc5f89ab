package local

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func TestFarQualityMerge(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	phone := func(at time.Duration) session.CallQuality {
		return session.CallQuality{CallBase: session.CallBase{At: t0.Add(at), CallID: "c1"},
			Quality: session.Quality{LossPct: 0.5, JitterMS: 4, RTTMS: 10, MOS: 4.3}}
	}
	f := farQuality{}
	if got := f.merge(phone(0)); got.Quality != phone(0).Quality {
		t.Errorf("no far figure: %+v, want the phone's", got.Quality)
	}
	f.keep(session.CallQuality{CallBase: session.CallBase{At: t0, CallID: "c1"},
		Quality: session.Quality{LossPct: 12.5, JitterMS: 2, RTTMS: 30, MOS: 3.1}})
	want := session.Quality{LossPct: 12.5, JitterMS: 4, RTTMS: 40, MOS: 3.1}
	if got := f.merge(phone(time.Second)); got.Quality != want {
		t.Errorf("merged %+v, want %+v", got.Quality, want)
	}
	if got := f.merge(phone(7 * time.Second)); got.Quality != phone(0).Quality {
		t.Errorf("a stale far figure counted: %+v", got.Quality)
	}
	other := phone(time.Second)
	other.CallID = "c2"
	if got := f.merge(other); got.Quality != phone(0).Quality {
		t.Errorf("another call's far figure counted: %+v", got.Quality)
	}
	f.end("c1")
	if got := f.merge(phone(time.Second)); got.Quality != phone(0).Quality {
		t.Errorf("an ended call's far figure counted: %+v", got.Quality)
	}
}
