package kiosk

import (
	"fmt"
	"strings"

	"github.com/agentty/agentty/session"
)

var texts = map[session.Lang]map[string]string{
	session.LangEnglish: {
		"connecting": "Connecting…",
		"idle":       "Press ENTER to call us",
		"idle2":      "An agent will answer as soon as one is free.",
		"calling":    "Calling…",
		"position":   "You are number %d in line",
		"next":       "You are next",
		"wait":       "Estimated wait: %s",
		"talking":    "You are talking to an agent",
		"leave":      "Press ESC to leave",
		"hangup":     "Press ESC to hang up",
		"noagents":   "No one can take your call right now",
		"noagents2":  "Please try again later. Press ENTER to try again.",
		"network":    "We lost the connection",
		"network2":   "Trying again… please wait.",
		"error":      "Something went wrong",
		"again":      "Press ENTER to try again.",
		"thanks":     "Thank you for calling",
		"thanks2":    "Press ENTER to call again.",
		"hold":       "Please hold; your agent will be right back",
		"muted":      "Your microphone is muted (M)",
		"transfer":   "Connecting you to another agent…",
		"callback":   "Press C and we call you back; you keep your place",
		"booked":     "We will call you back at %s",
		"bookedhere": "We will call you back here",
		"keep":       "You keep your place: number %d in line",
		"cancelcb":   "Press ESC to cancel the callback",
		"ringback":   "We are calling you back",
		"answerback": "Press ENTER to answer, ESC to decline",
	},
	session.LangSpanish: {
		"connecting": "Conectando…",
		"idle":       "Pulse ENTER para llamarnos",
		"idle2":      "Un agente le atenderá en cuanto esté libre.",
		"calling":    "Llamando…",
		"position":   "Usted es el número %d en la cola",
		"next":       "Usted es el siguiente",
		"wait":       "Espera estimada: %s",
		"talking":    "Está hablando con un agente",
		"leave":      "Pulse ESC para salir",
		"hangup":     "Pulse ESC para colgar",
		"noagents":   "Ahora mismo nadie puede atenderle",
		"noagents2":  "Inténtelo más tarde. Pulse ENTER para reintentar.",
		"network":    "Se ha perdido la conexión",
		"network2":   "Reintentando… espere, por favor.",
		"error":      "Algo ha fallado",
		"again":      "Pulse ENTER para reintentar.",
		"thanks":     "Gracias por llamar",
		"thanks2":    "Pulse ENTER para llamar de nuevo.",
		"hold":       "Espere, por favor; su agente vuelve enseguida",
		"muted":      "Su micrófono está silenciado (M)",
		"transfer":   "Le pasamos con otro agente…",
		"callback":   "Pulse C y le llamamos; conserva su turno",
		"booked":     "Le llamaremos al %s",
		"bookedhere": "Le llamaremos aquí",
		"keep":       "Conserva su turno: número %d en la cola",
		"cancelcb":   "Pulse ESC para anular la llamada",
		"ringback":   "Le estamos llamando",
		"answerback": "Pulse ENTER para contestar, ESC para rechazar",
	},
	session.LangChinese: {
		"connecting": "正在连接…",
		"idle":       "按 ENTER 键呼叫我们",
		"idle2":      "客服空闲后会立即接听。",
		"calling":    "正在呼叫…",
		"position":   "您排在第 %d 位",
		"next":       "下一位就是您",
		"wait":       "预计等待：%s",
		"talking":    "您正在与客服通话",
		"leave":      "按 ESC 键离开",
		"hangup":     "按 ESC 键挂断",
		"noagents":   "目前没有客服可以接听",
		"noagents2":  "请稍后再试。按 ENTER 键重试。",
		"network":    "连接已断开",
		"network2":   "正在重试…请稍候。",
		"error":      "出错了",
		"again":      "按 ENTER 键重试。",
		"thanks":     "感谢您的来电",
		"thanks2":    "按 ENTER 键再次呼叫。",
		"hold":       "请稍候，客服马上回来",
		"muted":      "您的麦克风已静音 (M)",
		"transfer":   "正在为您转接其他客服…",
		"callback":   "按 C 键我们给您回电，保留您的位置",
		"booked":     "我们将回电至 %s",
		"bookedhere": "我们将在这里给您回电",
		"keep":       "您的位置保留：第 %d 位",
		"cancelcb":   "按 ESC 键取消回电",
		"ringback":   "我们正在给您回电",
		"answerback": "按 ENTER 键接听，按 ESC 键拒绝",
	},
}

func tr(l session.Lang, k string, a ...any) string {
	t, ok := texts[l]
	if !ok {
		t = texts[session.LangEnglish]
	}
	s := t[k]
	if len(a) > 0 {
		return fmt.Sprintf(s, a...)
	}
	return s
}

// big digits, three cells wide and three lines high.
var glyphs = map[rune][3]string{
	'0': {"█▀█", "█ █", "▀▀▀"}, '1': {" ▄█", "  █", "  ▀"}, '2': {"▀▀█", "█▀▀", "▀▀▀"},
	'3': {"▀▀█", " ▀█", "▀▀▀"}, '4': {"█ █", "▀▀█", "  ▀"}, '5': {"█▀▀", "▀▀█", "▀▀▀"},
	'6': {"█▀▀", "█▀█", "▀▀▀"}, '7': {"▀▀█", "  █", "  ▀"}, '8': {"█▀█", "█▀█", "▀▀▀"},
	'9': {"█▀█", "▀▀█", "▀▀▀"},
}

// BigNumber draws n in three-line block digits.
func BigNumber(n int) string {
	var l [3][]string
	for _, r := range fmt.Sprint(n) {
		g := glyphs[r]
		for i := range l {
			l[i] = append(l[i], g[i])
		}
	}
	return strings.Join(l[0], " ") + "\n" + strings.Join(l[1], " ") + "\n" + strings.Join(l[2], " ")
}
