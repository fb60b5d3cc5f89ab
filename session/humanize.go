package session

import (
	"fmt"
	"strings"
	"time"
)

// Lang is a language the kiosk speaks: the seeds' languages.
type Lang string

// Languages.
const (
	LangEnglish Lang = "en"
	LangSpanish Lang = "es"
	LangChinese Lang = "zh"
)

// LangFromLocale picks the language of a POSIX locale such as "es_ES.UTF-8"
// or "zh_CN" (or a BCP 47 tag such as "zh-Hant-TW"); anything else is
// English. The language is the part before the first _ . @ or -, so "est"
// (Estonian) is not Spanish.
func LangFromLocale(locale string) Lang {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "_.@-"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "es":
		return LangSpanish
	case "zh":
		return LangChinese
	}
	return LangEnglish
}

// Humanize says an estimated wait as a person would: "under a minute",
// "about 3 minutes", "about an hour", or "unknown" when the estimate is
// missing (negative). Minutes are rounded to the nearest; from 50 minutes it
// speaks in hours.
func Humanize(wait Seconds, lang Lang) string {
	if !wait.Known() {
		return phrase(lang, "unknown", 0)
	}
	d := wait.D()
	switch {
	case d < 60*time.Second:
		return phrase(lang, "under", 0)
	case d < 49*time.Minute+30*time.Second: // rounds to at most 49 minutes
		m := int((d + 30*time.Second) / time.Minute)
		if m <= 1 {
			return phrase(lang, "minute", 1)
		}
		return phrase(lang, "minutes", m)
	case d < 90*time.Minute:
		return phrase(lang, "hour", 1)
	default:
		h := int((d + 30*time.Minute) / time.Hour)
		return phrase(lang, "hours", h)
	}
}

func phrase(lang Lang, key string, n int) string {
	switch lang {
	case LangSpanish:
		switch key {
		case "unknown":
			return "desconocido"
		case "under":
			return "menos de un minuto"
		case "minute":
			return "alrededor de un minuto"
		case "minutes":
			return fmt.Sprintf("alrededor de %d minutos", n)
		case "hour":
			return "alrededor de una hora"
		default:
			return fmt.Sprintf("alrededor de %d horas", n)
		}
	case LangChinese:
		switch key {
		case "unknown":
			return "未知"
		case "under":
			return "不到一分钟"
		case "minute":
			return "大约1分钟"
		case "minutes":
			return fmt.Sprintf("大约%d分钟", n)
		case "hour":
			return "大约一小时"
		default:
			return fmt.Sprintf("大约%d小时", n)
		}
	}
	switch key {
	case "unknown":
		return "unknown"
	case "under":
		return "under a minute"
	case "minute":
		return "about a minute"
	case "minutes":
		return fmt.Sprintf("about %d minutes", n)
	case "hour":
		return "about an hour"
	default:
		return fmt.Sprintf("about %d hours", n)
	}
}
