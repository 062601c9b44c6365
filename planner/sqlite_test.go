package planner_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/internal/plantest"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// The shared SQLite helpers under short names.
var (
	openDB     = plantest.OpenSQLite
	execScript = plantest.ExecScript
	inspect    = plantest.InspectSQLite
)

// TestSQLite runs plans against real SQLite databases. The current state is
// a database created from SQL; the desired state is what SQLite reports for
// a second database created from the target SQL (plus rename hints). Each
// case checks that up converges (a second plan is empty), that down
// restores the exact previous schema, and that rows survive both.
func TestSQLite(t *testing.T) {
	const hero = `CREATE TABLE hero (
	id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
	name text NOT NULL,
	secret_name text NOT NULL,
	age integer NULL
);
CREATE INDEX hero_name_idx ON hero (name)`
	const heroRows = `INSERT INTO hero (name, secret_name, age) VALUES ('Deadpond', 'Dive Wilson', NULL), ('Spider-Boy', 'Pedro Parqueador', NULL), ('Rusty-Man', 'Tommy Sharp', 48)`
	const users = `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name varchar(100) NOT NULL);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE posts (id integer NOT NULL PRIMARY KEY, user_id integer NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id))`
	tests := []struct {
		name     string
		from, to string
		hints    func(s *schema.Schema)
		seed     string
		count    string // a query giving the same number of rows before and after
		allow    bool
	}{
		{name: "heroes init", to: hero},
		{
			// SQLite folds ASCII letters in names: Hero and hero are one
			// table, renamed through a temporary name (a direct rename
			// is refused as "already another table").
			name: "table name differs only in case",
			from: strings.Replace(hero, "TABLE hero", "TABLE Hero", 1) + ";\nCREATE TABLE team (id integer NOT NULL PRIMARY KEY, hero_id integer NULL REFERENCES Hero (id))",
			to:   hero + ";\nCREATE TABLE team (id integer NOT NULL PRIMARY KEY, hero_id integer NULL REFERENCES hero (id))",
			seed: heroRows, count: "SELECT count(*) FROM hero",
		},
		{
			// but not other letters: Äb and äb are two tables.
			name: "non-ASCII case is another table",
			from: `CREATE TABLE "Äb" (x integer NULL)`,
			to:   `CREATE TABLE "Äb" (x integer NULL); CREATE TABLE "äb" (x integer NULL)`,
		},
		{
			name: "heroes power", from: hero, to: strings.Replace(hero, "age integer NULL", "age integer NULL, power integer NULL", 1),
			seed: heroRows, count: "SELECT count(*) FROM hero WHERE age = 48",
		},
		{
			name: "column type, null and default (rebuild)", from: hero,
			to:   strings.Replace(hero, "age integer NULL", "age bigint NOT NULL DEFAULT 0", 1),
			seed: heroRows, count: "SELECT count(*) FROM hero WHERE name = 'Rusty-Man'",
		},
		{
			name: "rename table, column and index", from: users,
			to: `CREATE TABLE members (id integer NOT NULL PRIMARY KEY, full_name varchar(100) NOT NULL);
CREATE INDEX members_full_name_idx ON members (full_name);
CREATE TABLE posts (id integer NOT NULL PRIMARY KEY, user_id integer NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES members (id))`,
			hints: func(s *schema.Schema) {
				m, _ := s.Table("members")
				m.RenamedFrom = "users"
				m.Columns[1].RenamedFrom = "name"
				m.Indexes[0].RenamedFrom = "users_name_idx"
			},
			seed:  `INSERT INTO users VALUES (1, 'ann'), (2, 'bob'); INSERT INTO posts VALUES (10, 1), (11, 2)`,
			count: "SELECT count(*) FROM posts",
		},
		{
			name: "indexes: unique, partial, expression", from: hero,
			to: hero + `;
CREATE UNIQUE INDEX hero_secret_uq ON hero (secret_name);
CREATE INDEX hero_adult_idx ON hero (age DESC) WHERE age >= 18;
CREATE INDEX hero_lower_name_idx ON hero (lower(name))`,
			seed: heroRows, count: "SELECT count(*) FROM hero",
		},
		{
			name: "checks and foreign keys", from: users,
			to: `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name varchar(100) NOT NULL, CONSTRAINT name_not_empty CHECK (name <> ''));
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE posts (id integer NOT NULL PRIMARY KEY, user_id integer NULL, CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)`,
			seed:  `INSERT INTO users VALUES (1, 'ann'); INSERT INTO posts VALUES (10, 1), (11, 1)`,
			count: "SELECT count(*) FROM posts",
		},
		{
			name: "foreign key cycle",
			to: `CREATE TABLE teams (id integer NOT NULL PRIMARY KEY, captain_id integer NULL, CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id));
CREATE TABLE players (id integer NOT NULL PRIMARY KEY, team_id integer NULL, CONSTRAINT players_team_fk FOREIGN KEY (team_id) REFERENCES teams (id))`,
		},
		{
			name: "strict and without rowid", from: `CREATE TABLE kv (k text NOT NULL PRIMARY KEY, v blob NULL)`,
			to:   `CREATE TABLE kv (k text NOT NULL PRIMARY KEY, v blob NULL) WITHOUT ROWID, STRICT`,
			seed: `INSERT INTO kv VALUES ('a', x'01')`, count: "SELECT count(*) FROM kv",
		},
		{
			// Django writes every SQLite foreign key this way; a rebuild
			// must keep it, and making it immediate is a change.
			name: "deferred foreign keys kept by a rebuild, and changed",
			from: `CREATE TABLE author (id integer NOT NULL PRIMARY KEY);
CREATE TABLE book (id integer NOT NULL PRIMARY KEY, author_id integer NOT NULL REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED, editor_id integer NULL REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED, pages integer NULL)`,
			to: `CREATE TABLE author (id integer NOT NULL PRIMARY KEY);
CREATE TABLE book (id integer NOT NULL PRIMARY KEY, author_id integer NOT NULL REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED, editor_id integer NULL REFERENCES author (id), pages bigint NOT NULL DEFAULT 0)`,
			seed:  `INSERT INTO author VALUES (1); INSERT INTO book VALUES (1, 1, 1, 100)`,
			count: "SELECT count(*) FROM book WHERE author_id = 1",
		},
		{name: "drop table", from: hero + ";\n" + users, to: users, allow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			execScript(t, db, tt.from)
			execScript(t, db, tt.seed)
			before := countRows(t, db, tt.count)

			cur := inspect(t, db)
			target := openDB(t)
			execScript(t, target, tt.to)
			des := inspect(t, target)
			if tt.hints != nil {
				tt.hints(des.Schemas[0])
			}
			checkRoundTrip(t, db, cur, des, tt.allow)
			if got := countRows(t, db, tt.count); got != before {
				t.Errorf("%s = %d after up and down, want %d", tt.count, got, before)
			}
		})
	}
}

// TestSQLiteFixtures creates real-world schemas nobody here wrote from an
// empty database, and drops them again with down.
func TestSQLiteFixtures(t *testing.T) {
	for _, file := range []string{"chinook/Chinook_Sqlite.ddl.sql", "sakila/sqlite-sakila-schema.sql"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			script, err := os.ReadFile(testdb.Fixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			target := openDB(t)
			if _, err := target.Exec(string(script)); err != nil {
				t.Fatal(err)
			}
			des := inspect(t, target)
			// Views and triggers are not managed: keep only tables.
			des.Schemas[0].Objects = nil
			for _, tab := range des.Schemas[0].Tables {
				tab.Triggers = nil
			}
			db := openDB(t)
			checkRoundTrip(t, db, inspect(t, db), des, false)
		})
	}
}

// checkRoundTrip plans cur → des, applies up to db and checks that a second
// plan is empty, then applies down and checks that db is back at cur.
func checkRoundTrip(t *testing.T, db *sql.DB, cur, des *schema.Realm, allow bool) {
	t.Helper()
	d := sqlite.New()
	p, err := lint.New(cur, des, d, lint.Options{AllowDestructive: allow})
	if err != nil {
		t.Fatal(err)
	}
	if p.Empty() {
		t.Fatal("plan is empty")
	}
	for _, sec := range []struct {
		name  string
		stmts []planner.Statement
	}{{"up", p.Up}, {"down", p.Down}} {
		for _, s := range sec.stmts {
			t.Logf("%s: %s", sec.name, s.SQL)
		}
	}
	migrate(t, db, p.Up)
	after := inspect(t, db)
	if again, err := planner.Diff(after, des, sqlite.New()); err != nil || len(again) != 0 {
		t.Errorf("second plan after up: %v, %v; want no changes", describeAll(again), err)
	}
	migrate(t, db, p.Down)
	back := inspect(t, db)
	for _, pair := range [][2]*schema.Realm{{back, cur}, {cur, back}} {
		if again, err := planner.Diff(pair[0], pair[1], sqlite.New()); err != nil || len(again) != 0 {
			t.Errorf("plan after down: %v, %v; want no changes", describeAll(again), err)
		}
	}
}

func describeAll(changes []schema.Change) []string {
	var s []string
	for _, c := range changes {
		s = append(s, describe.Change(c))
	}
	return s
}

func countRows(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	if query == "" {
		return 0
	}
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// migrate runs statements as the executor does: in one migration on one
// connection, committed only if the foreign key check passes.
func migrate(t *testing.T, db *sql.DB, stmts []planner.Statement) {
	t.Helper()
	ctx := context.Background()
	d := sqlite.New()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	m, err := d.BeginMigration(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.SQL); err != nil {
			err = errors.Join(err, m.End(ctx, false))
			t.Fatalf("exec %s: %v", s.SQL, err)
		}
	}
	if err := m.End(ctx, true); err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteTriggersFollowRenames renames a table and a column of it in a
// plan that also rebuilds the table. The rebuild drops the triggers with
// the table and creates them again: they must name the new table and
// column, as the in-place renames left them, and keep working after up and
// after down.
func TestSQLiteTriggersFollowRenames(t *testing.T) {
	const from = `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name text NOT NULL, age integer NULL);
CREATE TABLE audit (user_name text NULL);
CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit (user_name) VALUES (NEW.name); END;
CREATE TRIGGER users_rename AFTER UPDATE OF name ON users BEGIN UPDATE audit SET user_name = NEW.name WHERE user_name = OLD.name; END;
CREATE TABLE notes (id integer NOT NULL PRIMARY KEY, body text NULL, n integer NULL);
CREATE TRIGGER notes_name AFTER INSERT ON notes BEGIN UPDATE users SET name = NEW.body WHERE id = NEW.id; END`
	const to = `CREATE TABLE members (id integer NOT NULL PRIMARY KEY, full_name text NOT NULL, age bigint NOT NULL DEFAULT 0);
CREATE TABLE audit (user_name text NULL);
CREATE TABLE notes (id integer NOT NULL PRIMARY KEY, body text NULL, n bigint NOT NULL DEFAULT 0)`
	p, db, cur, des := planSQL(t, from+";\nINSERT INTO users (id, name, age) VALUES (1, 'ann', NULL)", to, func(s *schema.Schema) {
		m, _ := s.Table("members")
		m.RenamedFrom = "users"
		m.Columns[1].RenamedFrom = "name"
	}, lint.Options{})
	migrate(t, db, p.Up)
	after := inspect(t, db)
	am, _ := after.Schemas[0].Table("members")
	for _, tr := range am.Triggers {
		if !strings.Contains(tr.SQL, "full_name") || !strings.Contains(tr.SQL, "members") {
			t.Errorf("trigger %s after up:\n%s\nwant it to name members and full_name", tr.Name, tr.SQL)
		}
	}
	// notes is rebuilt too: its trigger, on another table, names members.
	execScript(t, db, `INSERT INTO members (id, full_name) VALUES (2, 'bob');
UPDATE members SET full_name = 'anna' WHERE id = 1;
INSERT INTO notes (id, body) VALUES (2, 'bobby')`)
	if got := countRows(t, db, "SELECT count(*) FROM audit WHERE user_name IN ('bobby', 'anna')"); got != 2 {
		t.Errorf("audit rows written by the triggers after up: %d, want 2", got)
	}
	if again, err := planner.Diff(after, des, sqlite.New()); err != nil || len(again) != 0 {
		t.Errorf("second plan after up: %v, %v; want no changes", describeAll(again), err)
	}

	migrate(t, db, p.Down)
	back := inspect(t, db)
	bu, _ := back.Schemas[0].Table("users")
	cu, _ := cur.Schemas[0].Table("users")
	// SQLite's rename quotes the names it rewrites: "users", NEW."name".
	unquote := strings.NewReplacer(`"`, "").Replace
	if len(bu.Triggers) != 2 || unquote(bu.Triggers[0].SQL) != cu.Triggers[0].SQL || unquote(bu.Triggers[1].SQL) != cu.Triggers[1].SQL {
		t.Errorf("triggers after down:\n%s\n%s\nwant\n%s\n%s", bu.Triggers[0].SQL, bu.Triggers[1].SQL, cu.Triggers[0].SQL, cu.Triggers[1].SQL)
	}
	execScript(t, db, `INSERT INTO users (id, name) VALUES (3, 'cy')`)
	if got := countRows(t, db, "SELECT count(*) FROM audit WHERE user_name = 'cy'"); got != 1 {
		t.Errorf("audit rows written by the trigger after down: %d, want 1", got)
	}
}

// TestSQLiteRenamesBesideTriggers: a trigger anywhere in the schema must not
// stop renames elsewhere — of a table no trigger names, or of a table a
// trigger reaches through a view of another table.
func TestSQLiteRenamesBesideTriggers(t *testing.T) {
	const from = `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name text NULL);
CREATE TABLE log (msg text NULL);
CREATE TABLE things (id integer NOT NULL PRIMARY KEY, label text NULL);
CREATE VIEW thing_labels AS SELECT label AS label FROM things;
CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (msg) SELECT label FROM thing_labels; END`
	const to = `CREATE TABLE members (id integer NOT NULL PRIMARY KEY, name text NULL);
CREATE TABLE log (msg text NULL);
CREATE TABLE things (id integer NOT NULL PRIMARY KEY, title text NULL)`
	p, db, _, _ := planSQL(t, from+";\nINSERT INTO things VALUES (1, 'a')", to, func(s *schema.Schema) {
		m, _ := s.Table("members")
		m.RenamedFrom = "users"
		th, _ := s.Table("things")
		th.Columns[1].RenamedFrom = "label"
	}, lint.Options{})
	migrate(t, db, p.Up)
	execScript(t, db, `INSERT INTO members (id, name) VALUES (1, 'ann')`)
	if got := countRows(t, db, "SELECT count(*) FROM log WHERE msg = 'a'"); got != 1 {
		t.Errorf("log rows written through the view after the renames: %d, want 1", got)
	}
	migrate(t, db, p.Down)
	execScript(t, db, `INSERT INTO users (id, name) VALUES (2, 'bob')`)
	if got := countRows(t, db, "SELECT count(*) FROM log WHERE msg = 'a'"); got != 2 {
		t.Errorf("log rows after down: %d, want 2", got)
	}
}

// TestSQLiteRenameBesideBrokenView: a view left over a table the plan drops
// no longer resolves, which must not stop planning a rename with triggers
// in the schema. (SQLite itself then refuses to rename a table while the
// view is broken, so the down section, which renames back, needs the view
// fixed first; that is the engine's rule.)
func TestSQLiteRenameBesideBrokenView(t *testing.T) {
	p, db, _, _ := planSQL(t, `CREATE TABLE users (id integer NOT NULL PRIMARY KEY);
CREATE TABLE log (msg text NULL);
CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (msg) VALUES ('x'); END;
CREATE TABLE old (id integer NULL);
CREATE VIEW old_ids AS SELECT id FROM old`, `CREATE TABLE members (id integer NOT NULL PRIMARY KEY);
CREATE TABLE log (msg text NULL)`,
		func(s *schema.Schema) { m, _ := s.Table("members"); m.RenamedFrom = "users" },
		lint.Options{AllowDestructive: true})
	migrate(t, db, p.Up)
	execScript(t, db, `INSERT INTO members (id) VALUES (1)`)
	if got := countRows(t, db, "SELECT count(*) FROM log"); got != 1 {
		t.Errorf("log rows written by the trigger after up: %d, want 1", got)
	}
}

// TestSQLiteRenameWithBrokenViewNoted: a view already broken in the
// database makes SQLite refuse every rename; a plan that renames says so
// instead of failing later at apply.
func TestSQLiteRenameWithBrokenViewNoted(t *testing.T) {
	p, _, _, _ := planSQL(t, `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name text NULL);
CREATE TABLE log (msg text NULL);
CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (msg) VALUES (NEW.name); END;
CREATE TABLE x (id integer NULL);
CREATE VIEW v AS SELECT id FROM x;
DROP TABLE x`, `CREATE TABLE users (id integer NOT NULL PRIMARY KEY, full_name text NULL);
CREATE TABLE log (msg text NULL)`,
		func(s *schema.Schema) { u, _ := s.Table("users"); u.Columns[1].RenamedFrom = "name" },
		lint.Options{})
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, `view "v" no longer resolves`) }) {
		t.Errorf("notes %q do not name the broken view", p.Notes)
	}
}

// planSQL creates from in a new database and plans it towards the schema
// to creates in another, after hints (which may be nil) edits the desired
// schema, as schemactl plan does (lint.New, which refuses destructive
// changes unless opts allows them). It returns the plan, the first
// database, the schema it held and the desired one.
func planSQL(t *testing.T, from, to string, hints func(*schema.Schema), opts lint.Options) (p *lint.Plan, db *sql.DB, cur, des *schema.Realm) {
	t.Helper()
	db, cur, des = plantest.SQLiteStates(t, from, to, hints)
	p, err := lint.New(cur, des, sqlite.New(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, db, cur, des
}
