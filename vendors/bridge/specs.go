package bridge

import (
	"html"
	"net/http"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/bridge/aicc"
	"github.com/agentty/agentty/vendors/bridge/phonesdk"
	"github.com/agentty/agentty/vendors/bridge/sfphone"
	"github.com/agentty/agentty/vendors/bridge/videsk"
	"github.com/agentty/agentty/vendors/bridge/voximplant"
)

// Videsk is seed 000's spec: a kiosk; one instance (Connect twice is
// refused); destroy() after ended. sdk is the Videsk Phone SDK's script.
func Videsk(sdk []byte) Spec {
	return Spec{
		Name: videsk.Name, Caps: videsk.Capabilities(), Role: session.RoleKiosk,
		NewTranslator: func() Translator { return new(videsk.Translator) },
		Encode:        videsk.Encode,
		After:         videsk.AfterEvent,
		Reconnect:     videsk.Reconnect,
		SDK:           sdk,
	}
}

// SFPhone is seed 002's spec: the softphone iframe named "sf", loaded from
// softphoneURL (a page under files, or the vendor's address).
func SFPhone(files http.FileSystem, softphoneURL string) Spec {
	return Spec{
		Name: sfphone.Name, Caps: sfphone.Capabilities(), Role: session.RoleAgent,
		NewTranslator: func() Translator { return new(sfphone.Translator) },
		Encode:        sfphone.Encode,
		Files:         files,
		Body:          `<iframe name="sf" data-src="` + html.EscapeString(softphoneURL) + `" width="320" height="460" allow="microphone"></iframe>`,
	}
}

// AICC is seed 003's spec: the connection bar iframe "ccbarclient" loaded
// from barURL.
func AICC(files http.FileSystem, barURL string) Spec {
	return Spec{
		Name: aicc.Name, Caps: aicc.Capabilities(), Role: session.RoleAgent,
		NewTranslator: func() Translator { return new(aicc.Translator) },
		Encode:        aicc.Encode,
		Files:         files,
		Body:          `<iframe name="ccbarclient" data-src="` + html.EscapeString(barURL) + `" allow="microphone"></iframe>`,
	}
}

// PhoneSDK is seed 004's spec; sdk is a script defining PhoneAgent (the
// phone-sdk Agent API).
func PhoneSDK(sdk []byte, role session.Role) Spec {
	if role == session.RoleUnknown {
		role = session.RoleAgent
	}
	return Spec{
		Name: phonesdk.Name, Caps: phonesdk.Capabilities(), Role: role,
		NewTranslator: func() Translator { return new(phonesdk.Translator) },
		Encode:        phonesdk.Encode,
		Await:         phonesdk.Answers,
		SDK:           sdk,
	}
}

// Voximplant is seed 001's spec; sdk is the real voximplant-websdk bundle
// (voximplant.min.js of the pinned 4.13.1-3005). The SDK reports its own
// connection and sign-in.
func Voximplant(sdk []byte) Spec {
	return Spec{
		Name: voximplant.Name, Caps: voximplant.Capabilities(), Role: session.RoleAgent, OwnConnect: true,
		NewTranslator: func() Translator { return new(voximplant.Translator) },
		Encode:        voximplant.Encode,
		SDK:           sdk,
	}
}

// VoximplantSDKPath is where scripts/bridge-js.sh installs the SDK, from
// the repository root.
const VoximplantSDKPath = "vendors/bridge/voximplant/js/node_modules/voximplant-websdk/voximplant.min.js"
