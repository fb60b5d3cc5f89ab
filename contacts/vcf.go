package contacts

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// rawCard is one BEGIN:VCARD..END:VCARD block as read from the file, with
// its folded lines already joined.
type rawCard struct {
	line    int      // line number of BEGIN:VCARD (1-based)
	end     int64    // byte offset just after the card (after END:VCARD)
	endLine int      // number of the card's last line
	lines   [][]byte // logical lines between BEGIN and END, unfolded
	lineNos []int    // first physical line number of each logical line
	err     error    // set when the block itself is malformed
	errAt   int      // line number the error refers to
}

// cardScanner splits a vCard stream into raw cards. It never loads more than
// one card (plus its read buffer) in memory.
type cardScanner struct {
	r      *bufio.Reader
	off    int64 // byte offset of the next unread byte
	lineNo int   // number of the last line read
	peeked []byte
	hasPk  bool
	pkLine int
	pkOff  int64  // offset of the peeked line's first byte
	buf    []byte // backing store for the current card's lines
	// reused from card to card: the current card's lines (rawCard.lines
	// and lineNos are valid until the next call of next, as buf is)
	spans   []span
	lines   [][]byte
	lineNos []int
}

// span is one logical line of the current card in cardScanner.buf.
type span struct{ from, to, line int }

func newCardScanner(r io.Reader, off int64, lineNo int) *cardScanner {
	return &cardScanner{r: bufio.NewReaderSize(r, 256<<10), off: off, lineNo: lineNo}
}

// readLine returns the next physical line without its line ending.
func (s *cardScanner) readLine() ([]byte, int, int64, error) {
	if s.hasPk {
		s.hasPk = false
		return s.peeked, s.pkLine, s.pkOff, nil
	}
	start := s.off
	line, err := s.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		long := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = s.r.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if len(line) == 0 && err != nil {
		return nil, 0, start, err
	}
	s.off += int64(len(line))
	s.lineNo++
	return bytes.TrimRight(line, "\r\n"), s.lineNo, start, nil
}

// unread pushes back the line just read (number n, starting at off).
func (s *cardScanner) unread(line []byte, n int, off int64) {
	s.peeked = append(s.peeked[:0], line...)
	s.hasPk, s.pkLine, s.pkOff = true, n, off
}

func isBegin(l []byte) bool {
	return len(l) >= 11 && bytes.EqualFold(bytes.TrimSpace(l), []byte("BEGIN:VCARD"))
}

func isEnd(l []byte) bool {
	return len(l) >= 9 && bytes.EqualFold(bytes.TrimSpace(l), []byte("END:VCARD"))
}

// isQPLine reports whether a logical line declares quoted-printable encoding.
func isQPLine(l []byte) bool {
	colon := bytes.IndexByte(l, ':')
	if colon < 0 {
		return false
	}
	head := l[:colon]
	ascii := true
	for _, c := range head {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		// bytes.ToUpper maps some non-ASCII letters to ASCII ones.
		return bytes.Contains(bytes.ToUpper(head), qpName)
	}
	// ASCII: compare in place instead of upper-casing a copy of every
	// line (an allocation per line, most of the scanner's garbage).
	for i := 0; i+len(qpName) <= len(head); i++ {
		if asciiUpperEqual(head[i:i+len(qpName)], "QUOTED-PRINTABLE") {
			return true
		}
	}
	return false
}

var qpName = []byte("QUOTED-PRINTABLE")

// next returns the next card, or io.EOF after the last one; the card's
// lines are valid until the next call. Text outside cards is skipped. A
// card cut short by EOF or by the next BEGIN:VCARD is returned with err
// set.
func (s *cardScanner) next() (*rawCard, error) {
	var beginLine int
	for {
		l, n, _, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if isBegin(l) {
			beginLine = n
			break
		}
	}
	c := &rawCard{line: beginLine}
	s.buf = s.buf[:0]
	spans := s.spans[:0]
	qp := false
	for {
		l, n, lineOff, err := s.readLine()
		if err != nil {
			c.err, c.errAt = errors.New("card has no END:VCARD"), beginLine
			c.end, c.endLine = s.off, s.lineNo
			break
		}
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') && len(spans) > 0 {
			// RFC 2425 folding: drop the single leading white space.
			s.buf = append(s.buf, l[1:]...)
			spans[len(spans)-1].to = len(s.buf)
			continue
		}
		if qp && len(spans) > 0 {
			last := s.buf[spans[len(spans)-1].from:spans[len(spans)-1].to]
			if bytes.HasSuffix(last, []byte("=")) {
				// quoted-printable soft line break (vCard 2.1): drop the '='.
				s.buf = append(s.buf[:len(s.buf)-1], l...)
				spans[len(spans)-1].to = len(s.buf)
				continue
			}
		}
		if isEnd(l) {
			c.end, c.endLine = s.off, n
			break
		}
		if isBegin(l) {
			s.unread(l, n, lineOff)
			c.err, c.errAt = errors.New("card has no END:VCARD"), beginLine
			c.end, c.endLine = lineOff, n-1
			break
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		from := len(s.buf)
		s.buf = append(s.buf, l...)
		spans = append(spans, span{from, len(s.buf), n})
		qp = isQPLine(l)
	}
	// Like s.buf, the line slices are reused by the next card.
	s.spans = spans
	s.lines, s.lineNos = s.lines[:0], s.lineNos[:0]
	for _, sp := range spans {
		s.lines = append(s.lines, s.buf[sp.from:sp.to:sp.to])
		s.lineNos = append(s.lineNos, sp.line)
	}
	c.lines, c.lineNos = s.lines, s.lineNos
	return c, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// wanted lists the properties the importer keeps; the others (photos,
// notes, addresses) are skipped before go-vcard parses the card.
var wanted = map[string]bool{
	"FN": true, "N": true, "ORG": true, "TEL": true, "EMAIL": true,
	"UID": true, "VERSION": true,
}

// propName returns the upper-cased property name of a logical line,
// without its group ("item1.TEL;TYPE=CELL:..." -> "TEL").
func propName(l []byte) string {
	end := bytes.IndexAny(l, ";:")
	if end < 0 {
		return ""
	}
	name := l[:end]
	if dot := bytes.IndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	var up [16]byte
	if len(name) > len(up) {
		return ""
	}
	for i, c := range name {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	return string(up[:len(name)])
}

// cleanLine rewrites one logical line into the vCard 3.0/4.0 form go-vcard
// parses: vCard 2.1 bare parameters become TYPE=..., quoted-printable and
// legacy charsets are decoded to UTF-8 and re-escaped.
func cleanLine(dst, l []byte) ([]byte, error) {
	colon := colonIndex(l)
	if colon < 0 {
		return dst, errors.New("property without ':'")
	}
	head, value := l[:colon], l[colon+1:]
	parts := bytes.Split(head, []byte(";"))
	dst = append(dst, parts[0]...)
	var qp, b64 bool
	charset := ""
	for _, p := range parts[1:] {
		if len(p) == 0 {
			continue
		}
		eq := bytes.IndexByte(p, '=')
		if eq < 0 {
			// vCard 2.1: TEL;HOME;VOICE:... or a bare ENCODING value.
			switch strings.ToUpper(string(p)) {
			case "QUOTED-PRINTABLE":
				qp = true
			case "BASE64", "B":
				b64 = true
			case "8BIT", "7BIT":
			default:
				dst = append(dst, ";TYPE="...)
				dst = append(dst, p...)
			}
			continue
		}
		k := strings.ToUpper(string(p[:eq]))
		v := string(bytes.Trim(p[eq+1:], `"`))
		switch k {
		case "ENCODING":
			switch strings.ToUpper(v) {
			case "QUOTED-PRINTABLE":
				qp = true
			case "BASE64", "B":
				b64 = true
			}
			continue
		case "CHARSET":
			charset = v
			continue
		}
		dst = append(dst, ';')
		dst = append(dst, p...)
	}
	dst = append(dst, ':')
	if b64 {
		return dst, nil // binary payloads are not kept
	}
	if qp {
		dec, err := decodeQP(value)
		if err != nil {
			return dst, err
		}
		value = dec
	}
	if charset != "" || !utf8.Valid(value) {
		value = toUTF8(value, charset)
	}
	if qp {
		// decoded line breaks must be escaped again for the text parser.
		value = bytes.ReplaceAll(bytes.ReplaceAll(value, []byte("\r\n"), []byte(`\n`)), []byte("\n"), []byte(`\n`))
	}
	return append(dst, value...), nil
}
