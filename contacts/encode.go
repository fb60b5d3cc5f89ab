package contacts

import (
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-vcard"
)

// WriteVCard writes cs as vCard 4.0 cards (UID, FN, ORG, TEL, EMAIL) with
// go-vcard's encoder. Import reads them back to the same contacts.
func WriteVCard(w io.Writer, cs []Contact) error {
	enc := vcard.NewEncoder(w)
	for i := range cs {
		if err := enc.Encode(contactToCard(&cs[i])); err != nil {
			return fmt.Errorf("contacts: write vcard %q: %w", cs[i].ID, err)
		}
	}
	return nil
}

// escapeSemi protects ';' in FN and ORG, which go-vcard leaves as is but
// the importer reads as a component separator in ORG.
func escapeSemi(s string) string { return strings.ReplaceAll(s, ";", `\;`) }

func contactToCard(c *Contact) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	if c.ID != "" && !strings.HasPrefix(c.ID, "h:") {
		card.SetValue(vcard.FieldUID, c.ID)
	}
	if c.Name != "" {
		card.SetValue(vcard.FieldFormattedName, escapeSemi(c.Name))
	}
	if c.Org != "" {
		card.SetValue(vcard.FieldOrganization, escapeSemi(c.Org))
	}
	for _, p := range c.Phones {
		card.AddValue(vcard.FieldTelephone, p)
	}
	for _, e := range c.Emails {
		card.AddValue(vcard.FieldEmail, e)
	}
	return card
}
