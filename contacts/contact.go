package contacts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Source says where a contact came from. It crosses the disk as its string.
type Source string

const (
	// SourceUnknown is the zero Source.
	SourceUnknown Source = ""
	// SourceImport marks a contact imported from a vCard file (durable).
	SourceImport Source = "import"
	// SourcePushed marks a volatile contact pushed by a vendor (memory only).
	SourcePushed Source = "pushed"
)

// String returns the wire form of s ("unknown" for the zero value).
func (s Source) String() string {
	if s == SourceUnknown {
		return "unknown"
	}
	return string(s)
}

// Contact is one entry of the address book.
type Contact struct {
	// ID is the vCard UID, or "h:" and a stable hash of the name and phone
	// digits when the card has none; for pushed contacts, the vendor's id.
	ID   string `json:"id"`
	Name string `json:"name"`
	Org  string `json:"org,omitempty"`
	// Phones are the numbers as written on the card.
	Phones []string `json:"phones,omitempty"`
	// Digits holds, index for index with Phones, the E.164 digits (no '+')
	// of each phone normalised with Options.DefaultCountry; "" when a phone
	// has fewer than three digits.
	Digits []string `json:"digits,omitempty"`
	Emails []string `json:"emails,omitempty"`
	Source Source   `json:"source"`
}

// contactKey returns the import key of c: its UID if set, else a stable
// hash of the folded name and the sorted phone digits. Re-importing the same
// card yields the same key, so the index entry is updated, not duplicated.
func contactKey(uid, name string, digits []string) string {
	if uid = strings.TrimSpace(uid); uid != "" {
		return uid
	}
	ds := slices.Clone(digits)
	slices.Sort(ds)
	h := sha256.New()
	h.Write([]byte(Fold(name)))
	for _, d := range ds {
		h.Write([]byte{0})
		h.Write([]byte(d))
	}
	return "h:" + hex.EncodeToString(h.Sum(nil)[:12])
}

// displayName picks the name shown for a contact lacking FN and N.
func displayName(c *Contact) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Org != "":
		return c.Org
	case len(c.Emails) > 0:
		return c.Emails[0]
	case len(c.Phones) > 0:
		return c.Phones[0]
	}
	return ""
}

// nameEnd is the token that ends the name in a search text. Folded text
// never holds it (Fold turns every control character into a space).
const nameEnd = 0x1f

// searchText builds the folded text the in-memory index searches: the words
// of the name, nameEnd, the words of the organisation and the e-mail local
// parts, then the phone digit tokens, separated by single spaces with a
// space at each end.
func searchText(dst []byte, c *Contact, country region, hasCountry bool) []byte {
	dst = append(dst, ' ')
	dst = appendFold(dst, c.Name)
	dst = append(appendSpace(dst), nameEnd, ' ')
	if c.Org != "" {
		dst = appendSpace(dst)
		dst = appendFold(dst, c.Org)
	}
	for _, e := range c.Emails {
		local := e
		if i := strings.LastIndexByte(e, '@'); i >= 0 {
			local = e[:i]
		}
		dst = appendSpace(dst)
		dst = appendFold(dst, local)
	}
	for _, tok := range phoneTokens(c, country, hasCountry) {
		dst = appendToken(dst, tok)
	}
	return appendSpace(dst)
}

// phoneTokens returns the digit strings a phone query may start with, for
// every phone of c: the E.164 digits, the national significant number in
// the default country, and the digits as written when they differ.
func phoneTokens(c *Contact, country region, hasCountry bool) []string {
	var toks []string
	add := func(t string) {
		if len(t) >= 3 && !slices.Contains(toks, t) {
			toks = append(toks, t)
		}
	}
	for i, d := range c.Digits {
		if d == "" {
			continue
		}
		add(d)
		add(nationalPart(d, country, hasCountry))
		var buf [32]byte
		add(string(appendDigits(buf[:0], cleanPhone(c.Phones[i]))))
	}
	return toks
}

func appendSpace(dst []byte) []byte {
	if len(dst) == 0 || dst[len(dst)-1] != ' ' {
		dst = append(dst, ' ')
	}
	return dst
}

// appendToken appends " tok " unless the text already holds that token.
func appendToken(dst []byte, tok string) []byte {
	dst = appendSpace(dst)
	if i := bytes.Index(dst, []byte(tok)); i > 0 && dst[i-1] == ' ' && (i+len(tok) == len(dst) || dst[i+len(tok)] == ' ') {
		return dst
	}
	dst = append(dst, tok...)
	return append(dst, ' ')
}

// normalize fills c.Digits from c.Phones and trims the fields.
func (c *Contact) normalize(country region, hasCountry bool) {
	c.Name = strings.TrimSpace(c.Name)
	c.Org = strings.TrimSpace(c.Org)
	c.Digits = c.Digits[:0]
	for _, p := range c.Phones {
		c.Digits = append(c.Digits, normalizePhone(p, country, hasCountry))
	}
	if len(c.Digits) == 0 {
		c.Digits = nil
	}
	if c.Name == "" {
		c.Name = displayName(c)
	}
}
