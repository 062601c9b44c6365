package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseURL is the grammar of a SQLite URL: the path is percent-decoded,
// a raw '#' is refused, and mode is the only parameter.
func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want URL
		err  string
	}{
		{raw: "sqlite://heroes.db", want: URL{Path: "heroes.db"}},
		{raw: "sqlite://dir/app.db", want: URL{Path: "dir/app.db"}},
		{raw: "sqlite:///abs/path.db", want: URL{Path: "/abs/path.db"}},
		{raw: "sqlite:app.db", want: URL{Path: "app.db"}},
		{raw: "sqlite3://app.db", want: URL{Path: "app.db"}},
		{raw: "file://app.db", want: URL{Path: "app.db"}},
		{raw: "SQLite://app.db", want: URL{Path: "app.db"}},
		{raw: "sqlite://x%41.db", want: URL{Path: "xA.db"}},
		{raw: "sqlite://a%23b%3Fc%25d.db", want: URL{Path: "a#b?c%d.db"}},
		{raw: "sqlite://my app.db", want: URL{Path: "my app.db"}},
		{raw: "sqlite://app.db?mode=ro", want: URL{Path: "app.db", Mode: "ro"}},
		{raw: "sqlite://app.db?mode=rw", want: URL{Path: "app.db", Mode: "rw"}},
		{raw: "sqlite://app.db?mode=rwc", want: URL{Path: "app.db", Mode: "rwc"}},
		{raw: "sqlite://file?mode=memory", want: URL{Memory: true}},
		{raw: "sqlite://:memory:", want: URL{Memory: true}},
		{raw: "sqlite://", err: `database URL "sqlite://" names no file; use sqlite://path.db or sqlite:///abs/path.db`},
		{raw: "sqlite://?mode=ro", err: `names no file`},
		{raw: "sqlite://x#y.db", err: `database URL "sqlite://x#y.db" holds a '#': in a file name write it as %23`},
		{raw: "sqlite://x.db#frag", err: `holds a '#'`},
		{raw: "sqlite://x%zz.db", err: `database URL "sqlite://x%zz.db": bad percent-escape in the path: a '%' in a file name is written %25`},
		{raw: "sqlite://x%00.db", err: `cannot hold NUL`},
		{raw: "sqlite://x.db?a=%zz", err: `database URL "sqlite://x.db?a=%zz": bad query: invalid URL escape "%zz"`},
		{raw: "sqlite://x.db?cache=shared", err: `database URL "sqlite://x.db?cache=shared": unknown parameter "cache"; a SQLite URL takes only mode=ro, rw, rwc or memory`},
		{raw: "sqlite://x.db?_pragma=foreign_keys(0)", err: `unknown parameter "_pragma"`},
		{raw: "sqlite://x.db?mode=ro&mode=rw", err: `mode is given 2 times`},
		{raw: "sqlite://x.db?mode=wal", err: `mode=wal; want ro, rw, rwc or memory`},
		{raw: "sqlite://:memory:?mode=ro", err: `a database in memory takes no mode=ro`},
		{raw: "mysql://h/db", err: `database URL "mysql://h/db" is not a SQLite URL; use sqlite://path.db`},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseURL(%q) error = %v, want %q", tt.raw, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
		case *got != tt.want:
			t.Errorf("ParseURL(%q) = %+v; want %+v", tt.raw, *got, tt.want)
		}
	}
}

// TestFileURL: any path reads back from its URL.
func TestFileURL(t *testing.T) {
	for _, path := range []string{"app.db", "/abs/a b.db", "a#b?c%d.db", "//double/slash.db", "%41.db"} {
		u, err := ParseURL(FileURL(path))
		if err != nil || u.Path != path {
			t.Errorf("ParseURL(FileURL(%q)) = %+v, %v", path, u, err)
		}
	}
}

// TestOpenURL: a file is created only when the caller allows it and the
// URL's mode does not forbid it; mode=ro opens read-only; the name is the
// decoded path, '#' and '?' included.
func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a#b?c%d.db")
	u, err := ParseURL(FileURL(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenURL(ctx, u, false); !errors.Is(err, ErrNoFile) || err.Error() != "no database at "+path {
		t.Fatalf("OpenURL without create = %v, want no database at %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("OpenURL without create left %s: %v", path, err)
	}
	for _, mode := range []string{"ro", "rw"} {
		if _, _, err := OpenURL(ctx, &URL{Path: path, Mode: mode}, true); !errors.Is(err, ErrNoFile) {
			t.Errorf("OpenURL with mode=%s = %v, want ErrNoFile", mode, err)
		}
	}
	db, created, err := OpenURL(ctx, u, true)
	if err != nil || !created {
		t.Fatalf("OpenURL with create = %v, created %v", err, created)
	}
	if _, err := db.Exec("CREATE TABLE t (id integer)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(path) {
		t.Errorf("files in the directory: %v, want only %s", entries, filepath.Base(path))
	}

	db, created, err = OpenURL(ctx, &URL{Path: path, Mode: "ro"}, true)
	if err != nil || created {
		t.Fatalf("OpenURL mode=ro = %v, created %v", err, created)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO t VALUES (1)"); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Errorf("INSERT on mode=ro: %v, want a read-only error", err)
	}
}

// TestOpenURLRoot: sqlite:///name.db is what SQLAlchemy users write for a
// file in the working directory; a missing file in the root is never
// created, and the error says how to write the relative file.
func TestOpenURLRoot(t *testing.T) {
	name := "schemactl-test-no-such-file.db"
	if _, err := os.Stat("/" + name); err == nil {
		t.Skipf("/%s exists", name)
	}
	u, err := ParseURL("sqlite:///" + name)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = OpenURL(context.Background(), u, true)
	want := "no database at /" + name + ": sqlite:///" + name + " names a file in the filesystem root; for " + name + " in the working directory write sqlite://" + name
	if !errors.Is(err, ErrNoFile) || err.Error() != want {
		t.Errorf("OpenURL = %v\nwant %s", err, want)
	}
	if _, err := os.Stat("/" + name); err == nil {
		t.Errorf("/%s was created", name)
	}
}
