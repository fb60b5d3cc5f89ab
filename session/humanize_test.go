package session_test

import (
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

func TestHumanize(t *testing.T) {
	s := func(d time.Duration) session.Seconds { return session.Secs(d) }
	cases := []struct {
		wait       session.Seconds
		en, es, zh string
	}{
		{session.Unknown, "unknown", "desconocido", "未知"},
		{session.Seconds(-3 * time.Second), "unknown", "desconocido", "未知"},
		{0, "under a minute", "menos de un minuto", "不到一分钟"},
		{s(59 * time.Second), "under a minute", "menos de un minuto", "不到一分钟"},
		{s(60 * time.Second), "about a minute", "alrededor de un minuto", "大约1分钟"},
		{s(89 * time.Second), "about a minute", "alrededor de un minuto", "大约1分钟"},
		{s(90 * time.Second), "about 2 minutes", "alrededor de 2 minutos", "大约2分钟"},
		{s(150 * time.Second), "about 3 minutes", "alrededor de 3 minutos", "大约3分钟"},
		{s(3 * time.Minute), "about 3 minutes", "alrededor de 3 minutos", "大约3分钟"},
		{s(49 * time.Minute), "about 49 minutes", "alrededor de 49 minutos", "大约49分钟"},
		{s(49*time.Minute + 30*time.Second), "about an hour", "alrededor de una hora", "大约一小时"},
		{s(50 * time.Minute), "about an hour", "alrededor de una hora", "大约一小时"},
		{s(time.Hour), "about an hour", "alrededor de una hora", "大约一小时"},
		{s(89 * time.Minute), "about an hour", "alrededor de una hora", "大约一小时"},
		{s(90 * time.Minute), "about 2 hours", "alrededor de 2 horas", "大约2小时"},
		{s(5 * time.Hour), "about 5 hours", "alrededor de 5 horas", "大约5小时"},
	}
	for _, c := range cases {
		for lang, want := range map[session.Lang]string{session.LangEnglish: c.en, session.LangSpanish: c.es, session.LangChinese: c.zh, "fr": c.en} {
			if got := session.Humanize(c.wait, lang); got != want {
				t.Errorf("Humanize(%v, %s) = %q, want %q", time.Duration(c.wait), lang, got, want)
			}
		}
	}
}

func TestLangFromLocale(t *testing.T) {
	for locale, want := range map[string]session.Lang{
		"":            session.LangEnglish,
		"C":           session.LangEnglish,
		"POSIX":       session.LangEnglish,
		"en_US.UTF-8": session.LangEnglish,
		"es":          session.LangSpanish,
		"es_ES.UTF-8": session.LangSpanish,
		"ES_mx":       session.LangSpanish,
		"es-419":      session.LangSpanish,
		"es@euro":     session.LangSpanish,
		"zh_CN.UTF-8": session.LangChinese,
		"zh_TW":       session.LangChinese,
		"zh-Hant-TW":  session.LangChinese,
		"est_EE":      session.LangEnglish, // not Spanish: the language is "est"
		"zha_CN":      session.LangEnglish, // Zhuang, not Chinese
		"fr_FR":       session.LangEnglish,
	} {
		if got := session.LangFromLocale(locale); got != want {
			t.Errorf("LangFromLocale(%q) = %s, want %s", locale, got, want)
		}
	}
}
