package lint_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner/internal/plantest"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// TestSQLiteReadersBreak: a plan that drops a table or column that a view or
// another table's trigger reads says so (BC103); renames, which SQLite
// rewrites into them, do not.
func TestSQLiteReadersBreak(t *testing.T) {
	p := planSQL(t, `CREATE TABLE old (id integer NULL, note text NULL);
CREATE TABLE users (id integer NOT NULL PRIMARY KEY, nick text NULL, age integer NULL);
CREATE VIEW old_ids AS SELECT id FROM old;
CREATE VIEW user_ages AS SELECT "age" FROM users;
CREATE TRIGGER users_old AFTER INSERT ON users BEGIN INSERT INTO old (id) VALUES (NEW.id); END`,
		`CREATE TABLE members (id integer NOT NULL PRIMARY KEY, nick text NULL)`,
		func(s *schema.Schema) { m, _ := s.Table("members"); m.RenamedFrom = "users" })
	got := codes(p, lint.CodeReaderBreaks)
	want := []string{
		`drop table "old": view "old_ids" may read it and fail once it is gone`,
		`drop table "old": trigger "users_old" may read it and fail once it is gone`,
		`drop column "age" of table "members": view "user_ages" may read it and fail once it is gone`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("BC103 findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSQLiteRebuildLosesOnConflict: a rebuild cannot carry ON CONFLICT
// clauses over, so a plan whose up or down section rebuilds such a table is
// refused (DS107) unless destructive changes are allowed; a change made in
// place both ways is not, and ON CONFLICT ABORT, the default, is no loss.
func TestSQLiteRebuildLosesOnConflict(t *testing.T) {
	for _, tt := range []struct {
		from, to string
		want     []string // DS107 messages
	}{
		{
			from: `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE ON CONFLICT REPLACE, age integer NULL)`,
			to:   `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE, age bigint NOT NULL DEFAULT 0)`,
			want: []string{
				`table "users" is re-created to carry out the change, which drops what schemactl cannot express: ON CONFLICT REPLACE on column "email"`,
				`the down section re-creates table "users" without what schemactl cannot express: ON CONFLICT REPLACE on column "email"`,
			},
		},
		{
			from: `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE ON CONFLICT REPLACE, age integer NULL)`,
			to:   `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE, age integer NULL, nick text NULL)`,
		},
		{
			// Up drops a column in place; down adds back a NOT NULL column
			// without a default, which takes a rebuild.
			from: `CREATE TABLE u (id integer PRIMARY KEY, email text NOT NULL ON CONFLICT REPLACE DEFAULT 'none', legacy text NOT NULL)`,
			to:   `CREATE TABLE u (id integer PRIMARY KEY, email text NOT NULL DEFAULT 'none')`,
			want: []string{`the down section re-creates table "u" without what schemactl cannot express: ON CONFLICT REPLACE on column "email"`},
		},
		{
			from: `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE ON CONFLICT ABORT, age integer NULL)`,
			to:   `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, email text NULL UNIQUE, age bigint NOT NULL DEFAULT 0)`,
		},
	} {
		p := planSQL(t, tt.from, tt.to, nil)
		if got := codes(p, lint.CodeRebuildLoses); !slices.Equal(got, tt.want) {
			t.Errorf("%s → %s: DS107\n%s\nwant\n%s", tt.from, tt.to, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// planSQL plans the schema from creates towards the one to creates, after
// hints (which may be nil) edits the desired schema, with destructive
// changes allowed.
func planSQL(t *testing.T, from, to string, hints func(*schema.Schema)) *lint.Plan {
	t.Helper()
	_, cur, des := plantest.SQLiteStates(t, from, to, hints)
	p, err := lint.New(cur, des, sqlite.New(), lint.Options{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// codes returns the messages of the findings with code.
func codes(p *lint.Plan, code string) []string {
	var out []string
	for _, f := range p.Findings {
		if f.Code == code {
			out = append(out, f.Message)
		}
	}
	return out
}
