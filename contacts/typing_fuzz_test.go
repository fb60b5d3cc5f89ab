package contacts

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// typingSeed writes the typing file of a small index (rankCards and some
// generated cards) and returns its bytes and meta.
func typingSeed(t testing.TB) ([]byte, typingMeta) {
	t.Helper()
	cs, _ := decodeAll(t, crlf(rankCards))
	for i := 0; i < 12; i++ {
		cs = append(cs, Contact{ID: "g" + itoaFuzz(i), Name: "Jennifer Smith " + itoaFuzz(i), Org: "Org" + itoaFuzz(i%3),
			Phones: []string{"+34 6000000" + itoaFuzz(10+i)}, Emails: []string{"u" + itoaFuzz(i) + "@x.example"}})
	}
	es, _ := resolveCountry("ES")
	m := newMemIndex()
	m.noGrams = true
	var text []byte
	for i := range cs {
		c := cs[i]
		c.Source = SourceImport
		c.normalize(es, true)
		c.ID = contactKey(c.ID, c.Name, c.Digits)
		text = searchText(text[:0], &c, es, true)
		m.add(&c, text)
	}
	m = m.rebuilt()
	meta := typingMeta{stamp: "fuzzstamp", docs: uint64(m.n()), country: countryKey(es, true)}
	path := filepath.Join(t.TempDir(), typingName)
	if err := writeTyping(path, m.view(), meta, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, meta
}

// FuzzTypingFile feeds damaged typing files to the reader. Without
// fixSum, anything but the file as written must be refused (truncated,
// extended, any byte changed). With fixSum the size and checksum are made
// to match, so the structural checks are what stands between the bytes
// and the search code: the file may then load, but searching, caller ID,
// listing and adding contacts must never panic or read outside it.
func FuzzTypingFile(f *testing.F) {
	seed, meta := typingSeed(f)
	f.Add(seed, false)
	f.Add(seed, true)
	f.Add(seed[:len(seed)/2], true)
	f.Add(seed[:typingHeaderSize+100], false)
	mid := bytes.Clone(seed)
	mid[len(mid)/2] ^= 1
	f.Add(mid, false)
	f.Add(mid, true)
	f.Fuzz(func(t *testing.T, data []byte, fixSum bool) {
		if fixSum && len(data) >= typingHeaderSize {
			data = bytes.Clone(data)
			binary.LittleEndian.PutUint64(data[16:], uint64(len(data)))
			binary.LittleEndian.PutUint32(data[24:], typingSum(data, crc32.Checksum(data[typingHeaderSize:], castagnoli)))
		}
		m, err := decodeTyping(aligned(data), meta)
		if err != nil {
			return
		}
		if !fixSum && !bytes.Equal(data, seed) {
			t.Fatalf("a damaged file (%d bytes, written %d) was accepted", len(data), len(seed))
		}
		exerciseIndex(m)
	})
}

// exerciseIndex runs every read path and an append over m.
func exerciseIndex(m *memIndex) {
	for _, q := range []string{"j", "je", "jen", "jennifer smith", "ia", "王", "+34 600", "600000001", "org1 jen", "zz"} {
		pq := parseQuery(q)
		res := m.search(&pq, 5, nil)
		for _, s := range res.top {
			_ = decodeRec(string(m.rec(s.num)))
		}
		if res.complete {
			m.search(&pq, 5, res.all)
		}
	}
	for _, d := range []string{"34600000010", "34666555444", "14155550100", "1"} {
		m.lookup(d)
	}
	for n := uint32(0); n < m.n(); n++ {
		if !m.isDead(n) {
			_ = decodeRec(string(m.rec(n)))
		}
	}
	c := Contact{ID: "new", Name: "Jennifer New", Phones: []string{"+34 600000099"}, Digits: []string{"34600000099"}, Source: SourcePushed}
	m.add(&c, []byte(" jennifer new \x1f 34600000099 "))
	m.seal()
	pq := parseQuery("jennifer")
	m.search(&pq, 5, nil)
	m.find("jose", SourceImport)
}
