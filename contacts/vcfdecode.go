package contacts

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-vcard"
)

// The general reading path: a raw card through go-vcard's grammar to a
// Contact (vcfplain.go is the plain one).

// decodeCard turns a raw card into a Contact: a plain card by
// decodePlain, any other by decodeGeneral.
func (d *cardDecoder) decodeCard(rc *rawCard) (Contact, error) {
	if c, ok := decodePlain(rc); ok {
		return c, nil
	}
	return d.decodeGeneral(rc)
}

// decodeGeneral turns a raw card into a Contact using go-vcard for the
// property grammar. d is reused across cards.
func (d *cardDecoder) decodeGeneral(rc *rawCard) (Contact, error) {
	if rc.err != nil {
		return Contact{}, rc.err
	}
	d.buf = append(d.buf[:0], "BEGIN:VCARD\r\n"...)
	for i, l := range rc.lines {
		if colonIndex(l) < 0 {
			return Contact{}, &lineError{rc.lineNos[i], fmt.Errorf("property without ':' %q", truncate(l, 40))}
		}
		if !wanted[propName(l)] {
			continue
		}
		var err error
		d.buf, err = cleanLine(d.buf, l)
		if err != nil {
			return Contact{}, &lineError{rc.lineNos[i], err}
		}
		d.buf = append(d.buf, '\r', '\n')
	}
	d.buf = append(d.buf, "END:VCARD\r\n"...)
	d.src.Reset(d.buf)
	card, err := d.dec.Decode()
	if err != nil {
		// go-vcard stopped inside the card: the rest of it is still in
		// its read buffer and would be read as the start of the next card.
		d.dec = vcard.NewDecoder(d.src)
		return Contact{}, fmt.Errorf("decode: %w", err)
	}
	c := cardToContact(card)
	if c.Name == "" && c.Org == "" && len(c.Phones) == 0 && len(c.Emails) == 0 {
		return Contact{}, errors.New("card has no name, organisation, phone or e-mail")
	}
	return c, nil
}

// cardDecoder wraps one go-vcard Decoder fed card by card.
type cardDecoder struct {
	buf []byte
	src *bytes.Reader
	dec *vcard.Decoder
}

func newCardDecoder() *cardDecoder {
	src := bytes.NewReader(nil)
	return &cardDecoder{src: src, dec: vcard.NewDecoder(src)}
}

// cardToContact maps the properties agentty uses. FN wins over N; ORG
// components are joined with ", ".
func cardToContact(card vcard.Card) Contact {
	c := contactOf(card.Value(vcard.FieldUID), card.PreferredValue(vcard.FieldFormattedName), card.Name(), card.Value(vcard.FieldOrganization))
	for _, f := range card[vcard.FieldTelephone] {
		c.Phones = appendTrimmed(c.Phones, f.Value)
	}
	for _, f := range card[vcard.FieldEmail] {
		c.Emails = appendTrimmed(c.Emails, f.Value)
	}
	return c
}

// contactOf is an imported Contact with a card's UID, FN, N (nil when the
// card has none) and ORG values, as both card readers find them: the name
// is FN, or N's parts in reading order.
func contactOf(uid, fn string, n *vcard.Name, org string) Contact {
	c := Contact{ID: strings.TrimSpace(uid), Source: SourceImport}
	c.Name = strings.TrimSpace(strings.ReplaceAll(fn, `\;`, ";"))
	if c.Name == "" && n != nil {
		c.Name = strings.Join(nonEmpty(n.HonorificPrefix, n.GivenName, n.AdditionalName, n.FamilyName, n.HonorificSuffix), " ")
	}
	if org != "" {
		c.Org = strings.Join(nonEmpty(splitUnescaped(org)...), ", ")
	}
	return c
}

// appendTrimmed appends v, trimmed, unless it is blank (a TEL or EMAIL).
func appendTrimmed(to []string, v string) []string {
	if v = strings.TrimSpace(v); v != "" {
		return append(to, v)
	}
	return to
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitUnescaped splits a structured value on each ';' not preceded by a
// backslash, then unescapes "\;" in the parts.
func splitUnescaped(v string) []string {
	var out []string
	start := 0
	for i := 0; i < len(v); i++ {
		if v[i] == ';' && (i == 0 || v[i-1] != '\\') {
			out = append(out, strings.ReplaceAll(v[start:i], `\;`, ";"))
			start = i + 1
		}
	}
	return append(out, strings.ReplaceAll(v[start:], `\;`, ";"))
}
