package contacts

// MarkCalled records that contact id (imported or pushed) was just called
// or answered: it ranks first among equal matches in Search and wins
// Lookup ties. It reports whether the contact exists. Recency lives in
// memory only.
func (b *Book) MarkCalled(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	num, ok := b.mem.find(id, SourceImport)
	if !ok {
		num, ok = b.mem.find(id, SourcePushed)
	}
	if !ok {
		return false
	}
	b.callSeq++
	if b.mem.recent[num] == 0 {
		b.mem.recentNums = append(b.mem.recentNums, num)
	}
	b.mem.recent[num] = b.callSeq
	b.mem.gen++
	return true
}

// Push replaces the volatile contacts with cs (a vendor's contacts
// message: id, name, phones). They are searched and looked up together with
// the imported ones, never written to disk, and gone at Close. Contacts
// without an ID get the hash key an imported card would get.
func (b *Book) Push(cs []Contact) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mem.removePushed()
	var text []byte
	for _, c := range cs {
		c.Phones = append([]string(nil), c.Phones...)
		c.Emails = append([]string(nil), c.Emails...)
		c.Source = SourcePushed
		c.normalize(b.country, b.hasCC)
		sanitizeContact(&c)
		if c.ID == "" {
			c.ID = contactKey("", c.Name, c.Digits)
		}
		text = searchText(text[:0], &c, b.country, b.hasCC)
		b.mem.add(&c, text)
	}
	b.mem.seal()
}
