package sqlite

import "testing"

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw    string
		path   string
		memory bool
		err    string
	}{
		{raw: "sqlite://heroes.db", path: "heroes.db"},
		{raw: "sqlite://dir/app.db", path: "dir/app.db"},
		{raw: "sqlite:///abs/path.db", path: "/abs/path.db"},
		{raw: "sqlite3://app.db", path: "app.db"},
		{raw: "file://app.db", path: "app.db"},
		{raw: "sqlite://file?mode=memory", path: "file", memory: true},
		{raw: "sqlite://:memory:", path: ":memory:", memory: true},
		{raw: "sqlite://", err: `database URL "sqlite://" names no file; use sqlite://path.db or sqlite:///abs/path.db`},
		{raw: "sqlite://x.db?a=%zz", err: `database URL "sqlite://x.db?a=%zz": bad query: invalid URL escape "%zz"`},
		{raw: "mysql://h/db", err: `database URL "mysql://h/db" is not a SQLite URL; use sqlite://path.db`},
	}
	for _, tt := range tests {
		path, memory, err := ParseURL(tt.raw)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseURL(%q) error = %v, want %q", tt.raw, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
		case path != tt.path || memory != tt.memory:
			t.Errorf("ParseURL(%q) = %q, %v; want %q, %v", tt.raw, path, memory, tt.path, tt.memory)
		}
	}
}
