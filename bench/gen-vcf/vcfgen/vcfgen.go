// Package vcfgen writes deterministic, realistic vCard files for tests and
// benchmarks: Spanish, English and Chinese names, organisations, one to
// three phones in varied formats, e-mails, a share of vCard 2.1 cards with
// quoted-printable names, and a few broken cards.
package vcfgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
)

// Config tunes the generator. The zero value is usable.
type Config struct {
	Seed uint64
	// BrokenEvery makes every BrokenEvery-th card broken (0: 1 in 1000;
	// negative: none).
	BrokenEvery int
	// V21Every makes every V21Every-th card a vCard 2.1 card (0: 1 in 10).
	V21Every int
}

// Stats tells what was written.
type Stats struct {
	Cards  int // cards written, broken ones included
	Broken int // cards an importer must reject
	Good   int // distinct valid contacts
}

var (
	esGiven   = []string{"María", "José", "Antonio", "Carmen", "Lucía", "Javier", "Sofía", "Álvaro", "Inés", "Raúl", "Nuria", "Íñigo", "Begoña", "Martín", "Pilar", "Andrés", "Ramón", "Elena", "Jesús", "Marta", "Sergio", "Rocío", "Óscar", "Ángela", "Joaquín"}
	esFamily  = []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ibáñez"}
	enGiven   = []string{"Jennifer", "James", "Mary", "John", "Patricia", "Robert", "Linda", "Michael", "Jenny", "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa"}
	enFamily  = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Martin", "Thompson", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright"}
	zhFamily  = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"}
	zhGiven   = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "小明", "建华"}
	orgWords1 = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Iberia", "Telefónica", "Núcleo", "Soylent", "Vandelay", "Cyberdyne", "Aurora", "Pinnacle", "Zenith", "Horizonte", "华为", "腾讯", "阿里巴巴", "Nexus", "Stark"}
	orgWords2 = []string{"Logistics", "Consulting", "Seguros", "Holdings", "Systems", "Labs", "Ingeniería", "Partners", "Foods", "Energía", "Media", "Health", "科技", "集团", "Networks"}
	orgSuffix = []string{"S.L.", "S.A.", "Ltd", "Inc.", "LLC", "GmbH", "", "", ""}
	domains   = []string{"gmail.com", "yahoo.es", "hotmail.com", "example.com", "outlook.com", "qq.com", "163.com", "empresa.es"}
)

// Write writes n cards to w.
func Write(w io.Writer, n int, cfg Config) (Stats, error) {
	if cfg.BrokenEvery == 0 {
		cfg.BrokenEvery = 1000
	}
	if cfg.V21Every <= 0 {
		cfg.V21Every = 10
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed))
	bw := bufio.NewWriterSize(w, 1<<16)
	var st Stats
	for i := 0; i < n; i++ {
		broken := cfg.BrokenEvery > 0 && i%cfg.BrokenEvery == cfg.BrokenEvery-1
		v21 := !broken && i%cfg.V21Every == 3
		writeCard(bw, r, i, v21, broken)
		st.Cards++
		if broken {
			st.Broken++
		} else {
			st.Good++
		}
	}
	return st, bw.Flush()
}

// person is one generated contact.
type person struct {
	given, family, full, org string
	phones                   []string
	emails                   []string
	uid                      string
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

func newPerson(r *rand.Rand, i int) person {
	var p person
	switch k := r.IntN(10); {
	case k < 4:
		p.given, p.family = pick(r, esGiven), pick(r, esFamily)+" "+pick(r, esFamily)
		p.full = p.given + " " + p.family
	case k < 8:
		p.given, p.family = pick(r, enGiven), pick(r, enFamily)
		p.full = p.given + " " + p.family
	default:
		p.given, p.family = pick(r, zhGiven), pick(r, zhFamily)
		p.full = p.family + p.given
	}
	if r.IntN(3) > 0 {
		p.org = strings.TrimSpace(pick(r, orgWords1) + " " + pick(r, orgWords2) + " " + pick(r, orgSuffix))
	}
	nPhones := 1 + r.IntN(3)
	for j := 0; j < nPhones; j++ {
		p.phones = append(p.phones, phone(r, i, j))
	}
	if r.IntN(4) > 0 {
		local := asciiLocal(p.given) + "." + asciiLocal(p.family)
		if r.IntN(2) == 0 {
			local = fmt.Sprintf("%s%d", asciiLocal(p.given), r.IntN(100))
		}
		p.emails = append(p.emails, local+"@"+pick(r, domains))
	}
	if r.IntN(10) < 7 {
		p.uid = fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", i, r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
	}
	return p
}

// phone returns a number in one of several written formats. The subscriber
// part includes the card number so every contact's phones are unique.
func phone(r *rand.Rand, i, j int) string {
	sub := fmt.Sprintf("%07d", (i*3+j)%10000000)
	switch r.IntN(7) {
	case 0: // Spanish mobile, E.164
		return "+34 6" + sub[:2] + " " + sub[2:5] + " " + sub[5:] + fmt.Sprint(j)
	case 1: // Spanish, national
		return "6" + sub[:2] + "-" + sub[2:5] + "-" + sub[5:] + fmt.Sprint(j)
	case 2: // Spanish, 0034 prefix
		return "0034 9" + sub[:2] + " " + sub[2:] + fmt.Sprint(j)
	case 3: // US
		return fmt.Sprintf("+1 (%d%d%d) %s-%s", 2+j, r.IntN(10), r.IntN(10), sub[:3], sub[3:])
	case 4: // US dotted
		return fmt.Sprintf("1.%d%d%d.%s.%s", 2+j, r.IntN(10), r.IntN(10), sub[:3], sub[3:])
	case 5: // China mobile
		return fmt.Sprintf("+86 13%d %s %s", j, sub[:4], sub[4:]+fmt.Sprint(r.IntN(10)))
	default: // UK
		return fmt.Sprintf("+44 20 %d%s %s", j, sub[:3], sub[3:])
	}
}

func asciiLocal(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case strings.ContainsRune("áà", r):
			b.WriteByte('a')
		case strings.ContainsRune("éè", r):
			b.WriteByte('e')
		case strings.ContainsRune("íì", r):
			b.WriteByte('i')
		case strings.ContainsRune("óò", r):
			b.WriteByte('o')
		case strings.ContainsRune("úü", r):
			b.WriteByte('u')
		case r == 'ñ':
			b.WriteByte('n')
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}

func writeCard(w *bufio.Writer, r *rand.Rand, i int, v21, broken bool) {
	p := newPerson(r, i)
	if v21 {
		writeV21(w, p)
		return
	}
	version := "3.0"
	if i%2 == 0 {
		version = "4.0"
	}
	w.WriteString("BEGIN:VCARD\r\nVERSION:" + version + "\r\n")
	if p.uid != "" {
		w.WriteString("UID:" + p.uid + "\r\n")
	}
	writeFolded(w, "FN:"+escape(p.full))
	w.WriteString("N:" + escape(p.family) + ";" + escape(p.given) + ";;;\r\n")
	if p.org != "" {
		w.WriteString("ORG:" + escape(p.org) + "\r\n")
	}
	types := []string{"CELL", "WORK", "HOME"}
	for j, ph := range p.phones {
		w.WriteString("TEL;TYPE=" + types[j%3] + ":" + ph + "\r\n")
	}
	for _, e := range p.emails {
		w.WriteString("EMAIL;TYPE=INTERNET:" + e + "\r\n")
	}
	if broken {
		switch i % 3000 {
		case 999: // a property line without a colon
			w.WriteString("THIS LINE IS BROKEN\r\n")
		case 1999: // a truncated card: no END:VCARD
			return
		default: // invalid quoted-printable in a kept property
			w.WriteString("FN;ENCODING=QUOTED-PRINTABLE:bad =ZZ escape\r\n")
		}
	}
	w.WriteString("END:VCARD\r\n")
}

// writeFolded writes a content line folded at 75 octets (RFC 6350 3.2),
// never inside a UTF-8 sequence.
func writeFolded(w *bufio.Writer, line string) {
	for len(line) > 75 {
		cut := 75
		for cut > 0 && line[cut]&0xC0 == 0x80 {
			cut--
		}
		w.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
	}
	w.WriteString(line + "\r\n")
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`).Replace(s)
}

// writeV21 writes a vCard 2.1 card: bare TYPE parameters and a
// quoted-printable, UTF-8 name when it is not plain ASCII.
func writeV21(w *bufio.Writer, p person) {
	w.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	if p.uid != "" {
		w.WriteString("UID:" + p.uid + "\r\n")
	}
	if isASCII(p.full) {
		w.WriteString("FN:" + p.full + "\r\n")
		w.WriteString("N:" + p.family + ";" + p.given + ";;;\r\n")
	} else {
		w.WriteString("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp(p.full) + "\r\n")
		w.WriteString("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp(p.family) + ";" + qp(p.given) + ";;;\r\n")
	}
	if p.org != "" {
		if isASCII(p.org) {
			w.WriteString("ORG:" + p.org + "\r\n")
		} else {
			w.WriteString("ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp(p.org) + "\r\n")
		}
	}
	types := []string{"CELL", "WORK;VOICE", "HOME"}
	for j, ph := range p.phones {
		w.WriteString("TEL;" + types[j%3] + ":" + ph + "\r\n")
	}
	for _, e := range p.emails {
		w.WriteString("EMAIL;INTERNET:" + e + "\r\n")
	}
	w.WriteString("END:VCARD\r\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func qp(s string) string {
	var b strings.Builder
	q := quotedprintable.NewWriter(&b)
	q.Write([]byte(s))
	q.Close()
	return b.String()
}
