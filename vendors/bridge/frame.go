package bridge

import (
	"encoding/json"
	"fmt"
)

// frameScript is what Chromium.Open has the browser run at document start
// in every frame of the page: js/audio.js in its frame mode, with
// worklet.js's source at hand (a vendor's frame cannot load agentty's
// worklet.js from its own origin). It does nothing in the top page, which
// loads audio.js itself. A frame's hooks never learn the secret: they
// carry bare PCM over a MessageChannel port the top page hands them, and
// the top page frames it for the WebSocket (docs/vendors.md).
func frameScript() (string, error) {
	a, err := shims.ReadFile("js/audio.js")
	if err != nil {
		return "", err
	}
	w, err := shims.ReadFile("js/worklet.js")
	if err != nil {
		return "", err
	}
	q, err := json.Marshal(string(w))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("(function () {\nconst agenttyWorklet = %s;\n%s\n})();\n", q, a), nil
}
