package proto

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentty/agentty/session"
)

var update = flag.Bool("update", false, "rewrite the protocol's golden files")

// goldenDir holds protocol v1: one event frame a type, every field set.
var goldenDir = filepath.Join("testdata", "v1")

// fill sets every field of v, recursively: a string to its JSON name, a
// number to 7, a bool to true, a time to one instant, a slice or map to
// one filled element. Each field set shows on the wire.
func fill(v reflect.Value, name string) {
	switch v.Type() {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 11, 21, 9, 30, 15, 250_000_000, time.UTC)))
		return
	case reflect.TypeFor[session.Seconds]():
		v.Set(reflect.ValueOf(session.Secs(7500 * time.Millisecond)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(name)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), name)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, name+"_key")
		fill(e, name)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), name)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if n == "-" {
				continue
			}
			if n == "" {
				n = strings.ToLower(f.Name)
			}
			fill(v.Field(i), n)
		}
	}
}

// fullEvent returns an event of type t with every field set.
func fullEvent(t *testing.T, typ session.EventType) session.Event {
	e, ok := session.NewEvent(typ)
	if !ok {
		t.Fatalf("no event type %s", typ)
	}
	p := reflect.New(reflect.TypeOf(e))
	fill(p.Elem(), string(typ))
	return p.Elem().Interface().(session.Event)
}

// TestProtocolV1Golden pins the wire of protocol v1: every event type's
// frame, with every field set, is byte for byte its golden file, and the
// golden decodes back to the same event. A change in session that changes
// the wire fails here; a new event type needs its golden (go test -update).
func TestProtocolV1Golden(t *testing.T) {
	types := session.EventTypes()
	slices.Sort(types)
	want := map[string]bool{}
	for _, typ := range types {
		e := fullEvent(t, typ)
		b, err := EncodeEvent(42, e)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, b, "", "  "); err != nil {
			t.Fatal(err)
		}
		pretty.WriteByte('\n')
		name := string(typ) + ".json"
		want[name] = true
		path := filepath.Join(goldenDir, name)
		if *update {
			if err := os.MkdirAll(goldenDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no golden frame (go test ./vendors/local/proto -update writes it): %v", typ, err)
			continue
		}
		if !bytes.Equal(golden, pretty.Bytes()) {
			t.Errorf("%s: the wire changed:\n got %s\nwant %s", typ, pretty.Bytes(), golden)
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, golden); err != nil {
			t.Fatal(err)
		}
		f, got, err := DecodeServer(compact.Bytes())
		if err != nil || f.Seq != 42 {
			t.Fatalf("%s: decode golden: %v (seq %d)", typ, err, f.Seq)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%s: golden decodes to %#v, want %#v", typ, got, e)
		}
	}
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			t.Errorf("%s: golden of no event type", f)
		}
	}
}
