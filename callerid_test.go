package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
	"github.com/agentty/agentty/vendors/fake"
)

const testCards = `BEGIN:VCARD
VERSION:3.0
UID:jen-1
FN:Jennifer Doe
TEL;TYPE=CELL:+34 666 777 888
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:John Doe
TEL:+34 666 555 444
END:VCARD
`

// bookWith imports the test cards through the command line and opens the
// book as the console does.
func bookWith(t *testing.T) *lazyBook {
	t.Helper()
	dir := isolate(t)
	vcf := filepath.Join(dir, "cards.vcf")
	if err := os.WriteFile(vcf, []byte(testCards), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "", "contacts", "import", vcf); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := run(t, "", "contacts", "search", "jen")
	if err != nil || !strings.Contains(out, "Jennifer Doe") {
		t.Fatalf("search jen: %v %q", err, out)
	}
	g := &globals{}
	g.log, g.logFile, _ = openLog("info")
	t.Cleanup(func() { g.logFile.Close() })
	l := openBook(g)
	t.Cleanup(l.close)
	<-l.done
	return l
}

func TestHeadlessCallerIDAndDialByName(t *testing.T) {
	l := bookWith(t)
	book := l.session()
	c, err := book.Resolve(session.Command{Verb: session.VerbDial, Number: "Jennifer"})
	if err != nil || c.Number != "+34 666 777 888" {
		t.Fatalf("dial Jennifer -> %q, %v", c.Number, err)
	}
	if _, err := book.Resolve(session.Command{Verb: session.VerbDial, Number: "Zebedee"}); err == nil {
		t.Errorf("dial of an unknown name resolved")
	}

	v := fake.New(nil, session.RoleAgent, fake.ValidToken)
	inR, inW := io.Pipe()
	defer inW.Close() // ends headless mode's stdin reader
	outR, outW := io.Pipe()
	g := &globals{}
	g.log, g.logFile, _ = openLog("info")
	defer g.logFile.Close()
	h := &headless{v: v, out: bufio.NewWriter(outW), log: g.log, app: book,
		now: func() session.Base { return session.Base{At: time.Now()} }}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.run(ctx, inR); outW.Close() }()

	lines := bufio.NewScanner(outR)
	waitLine := func(want string) string {
		t.Helper()
		for lines.Scan() {
			if strings.Contains(lines.Text(), want) {
				return lines.Text()
			}
		}
		t.Fatalf("no line with %q", want)
		return ""
	}
	io.WriteString(inW, "checkin\nready\n")
	waitLine(`"state":"ready"`)
	if _, err := v.Ring("0034666777888"); err != nil {
		t.Fatal(err)
	}
	ring := waitLine(`"call.ringing"`)
	if !strings.Contains(ring, `"contact":"Jennifer Doe"`) {
		t.Errorf("ringing call not named: %s", ring)
	}
	io.WriteString(inW, "answer\nhangup\ndone\ndial Jennifer\nquit\n")
	dial := waitLine(`"call.dialing"`)
	if !strings.Contains(dial, `"to":"+34 666 777 888"`) {
		t.Errorf("dial by name: %s", dial)
	}
	go io.Copy(io.Discard, outR)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
