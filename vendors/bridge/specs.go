package bridge

import (
	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/videsk"
)

// Videsk is seed 000's spec: a kiosk; one instance (Connect twice is
// refused); destroy() after ended. sdk is the Videsk Phone SDK's script.
func Videsk(sdk []byte) Spec {
	return Spec{
		Name: videsk.Name, Caps: videsk.Capabilities, Role: session.RoleKiosk,
		NewTranslator: func() Translator { return new(videsk.Translator) },
		Encode:        videsk.Encode,
		After:         videsk.AfterEvent,
		SDK:           sdk,
	}
}
