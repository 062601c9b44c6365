package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func TestInspectTable(t *testing.T) {
	tests := []struct {
		name string
		ddl  []string
		want *schema.Table
	}{
		{
			name: "types",
			ddl: []string{`CREATE TABLE t (a VARCHAR(255), b NVARCHAR ( 160 ), c NUMERIC(10, 2), d unsigned  BIG int,
				e BLOB SUB_TYPE TEXT, f, g INTEGER, h Double Precision, i datetime(3), j TIMESTAMP, k ANY, l int unsigned)`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("a", typ("varchar", 255), true),
				col("b", typ("nvarchar", 160), true),
				col("c", typ("numeric", 10, 2), true),
				col("d", typ("unsigned big int"), true),
				col("e", raw("BLOB SUB_TYPE TEXT"), true),
				col("f", typ("blob"), true),
				col("g", typ("integer"), true),
				col("h", typ("double precision"), true),
				col("i", typ("datetime", 3), true),
				col("j", typ("timestamp"), true),
				col("k", typ("any"), true),
				col("l", raw("int unsigned"), true),
			}},
		},
		{
			name: "defaults",
			ddl: []string{`CREATE TABLE t (a TEXT DEFAULT 'it''s', b INT DEFAULT -1, c REAL DEFAULT +01.50,
				d BOOL DEFAULT TRUE, e TEXT DEFAULT NULL, f TEXT DEFAULT CURRENT_TIMESTAMP,
				g TEXT DEFAULT (datetime('now')), h INT DEFAULT (1), i BLOB DEFAULT x'00', j TEXT DEFAULT ('x'),
				k INT DEFAULT (1 + 2), l REAL DEFAULT 1e3)`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				{Name: "a", Type: typ("text"), Null: true, Default: str("it's")},
				{Name: "b", Type: typ("int"), Null: true, Default: num("-1")},
				{Name: "c", Type: typ("real"), Null: true, Default: num("1.5")},
				{Name: "d", Type: typ("bool"), Null: true, Default: &schema.Default{Kind: schema.DefaultBool, Value: "true"}},
				{Name: "e", Type: typ("text"), Null: true},
				{Name: "f", Type: typ("text"), Null: true, Default: rawd("CURRENT_TIMESTAMP")},
				{Name: "g", Type: typ("text"), Null: true, Default: rawd("datetime('now')")},
				{Name: "h", Type: typ("int"), Null: true, Default: num("1")},
				{Name: "i", Type: typ("blob"), Null: true, Default: rawd("x'00'")},
				{Name: "j", Type: typ("text"), Null: true, Default: str("x")},
				{Name: "k", Type: typ("int"), Null: true, Default: rawd("1 + 2")},
				{Name: "l", Type: typ("real"), Null: true, Default: rawd("1e3")},
			}},
		},
		{
			name: "rowid alias is never null",
			ddl:  []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("id", typ("integer"), false),
				col("name", typ("text"), false),
			}, PrimaryKey: pk("id")},
		},
		{
			name: "autoincrement",
			ddl:  []string{`CREATE TABLE [t] ([id] INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, [v] NVARCHAR(10))`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				{Name: "id", Type: typ("integer"), AutoIncrement: true},
				col("v", typ("nvarchar", 10), true),
			}, PrimaryKey: pk("id")},
		},
		{
			name: "composite key, without rowid, strict",
			ddl:  []string{`CREATE TABLE t (a TEXT, b INT, c INTEGER NOT NULL, PRIMARY KEY (a, b DESC)) WITHOUT ROWID, STRICT`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("a", typ("text"), false),
				col("b", typ("int"), false),
				col("c", typ("integer"), false),
			}, PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "a"}, {Column: "b", Desc: true}}},
				WithoutRowID: true, Strict: true},
		},
		{
			name: "non-integer key is nullable as declared",
			ddl:  []string{`CREATE TABLE t (code TEXT PRIMARY KEY, v TEXT, UNIQUE (code), UNIQUE (v))`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("code", typ("text"), true),
				col("v", typ("text"), true),
			}, PrimaryKey: pk("code"), Indexes: []*schema.Index{idx("sqlite_autoindex_t_2", true, "v")}},
		},
		{
			name: "unique constraint declared before the key",
			ddl:  []string{`CREATE TABLE t (v TEXT UNIQUE, id INT, w INT, PRIMARY KEY (id), UNIQUE (w, v))`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("v", typ("text"), true),
				col("id", typ("int"), true),
				col("w", typ("int"), true),
			}, PrimaryKey: pk("id"), Indexes: []*schema.Index{
				idx("sqlite_autoindex_t_1", true, "v"),
				idx("sqlite_autoindex_t_3", true, "w", "v"),
			}},
		},
		{
			name: "indexes",
			ddl: []string{
				`CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INT, c TEXT UNIQUE, d TEXT COLLATE NOCASE, "order" TEXT COLLATE "rtrim",
					UNIQUE (a, b), UNIQUE (b COLLATE NOCASE))`,
				`CREATE INDEX t_order ON t ("order" COLLATE nocase)`,
				`CREATE INDEX t_b ON t (b DESC)`,
				`CREATE UNIQUE INDEX "T_A_partial" ON t (a) WHERE (b > 0 AND a <> 'x')`,
				`CREATE INDEX t_expr ON t (lower(a) COLLATE NOCASE DESC, b, ((b + 1)))`,
				`CREATE INDEX t_coll ON t (a COLLATE nocase, c COLLATE BINARY DESC, d COLLATE NOCASE, d COLLATE rtrim)`,
			},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("id", typ("integer"), false),
				col("a", typ("text"), true),
				col("b", typ("int"), true),
				col("c", typ("text"), true),
				{Name: "d", Type: typ("text"), Null: true, Collate: "NOCASE"},
				{Name: "order", Type: typ("text"), Null: true, Collate: "RTRIM"},
			}, PrimaryKey: pk("id"), Indexes: []*schema.Index{
				idx("sqlite_autoindex_t_1", true, "c"),
				idx("sqlite_autoindex_t_2", true, "a", "b"),
				{Name: "sqlite_autoindex_t_3", Unique: true, Parts: []schema.IndexPart{{Expr: "`b` COLLATE NOCASE"}}},
				{Name: "T_A_partial", Unique: true, Parts: []schema.IndexPart{{Column: "a"}}, Where: "b > 0 AND a <> 'x'"},
				{Name: "t_b", Parts: []schema.IndexPart{{Column: "b", Desc: true}}},
				{Name: "t_coll", Parts: []schema.IndexPart{{Expr: "`a` COLLATE NOCASE"}, {Column: "c", Desc: true}, {Column: "d"}, {Expr: "`d` COLLATE RTRIM"}}},
				{Name: "t_expr", Parts: []schema.IndexPart{{Expr: "lower(a) COLLATE NOCASE", Desc: true}, {Column: "b"}, {Expr: "b + 1"}}},
				{Name: "t_order", Parts: []schema.IndexPart{{Expr: "`order` COLLATE NOCASE"}}},
			}},
		},
		{
			name: "foreign keys",
			ddl: []string{
				`CREATE TABLE p (id INTEGER PRIMARY KEY, a INT, b INT, UNIQUE (a, b))`,
				`CREATE TABLE c (
					x INT CONSTRAINT "c_x" REFERENCES P (ID) ON DELETE CASCADE ON UPDATE SET DEFAULT DEFERRABLE INITIALLY DEFERRED CHECK (x > 0),
					y INT REFERENCES p,
					a INT, b INT,
					FOREIGN KEY (a, b) REFERENCES p (a, b) ON DELETE SET NULL,
					CONSTRAINT [c ab] FOREIGN KEY (b, a) REFERENCES p (b, a) ON DELETE NO ACTION ON UPDATE RESTRICT,
					FOREIGN KEY (y) REFERENCES p (id))`,
			},
			want: &schema.Table{Name: "c", Columns: []*schema.Column{
				col("x", typ("int"), true),
				col("y", typ("int"), true),
				col("a", typ("int"), true),
				col("b", typ("int"), true),
			}, ForeignKeys: []*schema.ForeignKey{
				{Name: "c ab", Columns: []string{"b", "a"}, RefTable: "p", RefColumns: []string{"b", "a"}, OnUpdate: schema.Restrict},
				{Name: "c_a_b_fkey", Columns: []string{"a", "b"}, RefTable: "p", RefColumns: []string{"a", "b"}, OnDelete: schema.SetNull},
				{Name: "c_x", Columns: []string{"x"}, RefTable: "p", RefColumns: []string{"id"}, OnUpdate: schema.SetDefault, OnDelete: schema.Cascade, Deferred: true},
				{Name: "c_y_fkey", Columns: []string{"y"}, RefTable: "p", RefColumns: []string{"id"}},
				{Name: "c_y_fkey2", Columns: []string{"y"}, RefTable: "p", RefColumns: []string{"id"}},
			}, Checks: []*schema.Check{{Expr: "x > 0", Enforced: true}}},
		},
		{
			name: "checks",
			ddl: []string{`CREATE TABLE t (
				a INT CONSTRAINT a_pos CHECK (a > 0) NOT NULL,
				b TEXT CHECK(b IN ('x', 'y)')) -- a comment (with a paren
				, c INT, CONSTRAINT "c range" CHECK ((c BETWEEN 1 AND 10)), CHECK (a < c), /* ) */ CHECK(
				   a <> 5 -- not five
				))`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("a", typ("int"), false),
				col("b", typ("text"), true),
				col("c", typ("int"), true),
			}, Checks: []*schema.Check{
				{Name: "a_pos", Expr: "a > 0", Enforced: true},
				{Expr: "b IN ('x', 'y)')", Enforced: true},
				{Name: "c range", Expr: "c BETWEEN 1 AND 10", Enforced: true},
				{Expr: "a < c", Enforced: true},
				{Expr: "a <> 5", Enforced: true},
			}},
		},
		{
			name: "generated columns and collations",
			ddl: []string{`CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) VIRTUAL NOT NULL,
				c TEXT AS (upper(d)) STORED, d TEXT COLLATE nocase, e TEXT COLLATE "BINARY" AS ((a || 'x')))`},
			want: &schema.Table{Name: "t", Columns: []*schema.Column{
				col("a", typ("int"), true),
				{Name: "b", Type: typ("int"), Generated: &schema.Generated{Expr: "a * 2"}},
				{Name: "c", Type: typ("text"), Null: true, Generated: &schema.Generated{Expr: "upper(d)", Stored: true}},
				{Name: "d", Type: typ("text"), Null: true, Collate: "NOCASE"},
				{Name: "e", Type: typ("text"), Null: true, Generated: &schema.Generated{Expr: "a || 'x'"}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTestDB(t)
			execSQL(t, db, tt.ddl...)
			r := inspectDB(t, db)
			got := tableOf(t, r, tt.want.Name)
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("inspect mismatch (-want +got):\n%s", diff)
			}
			// What Render creates from the model reads back as the model.
			again := openTestDB(t)
			migrate(t, again, createAll(t, r))
			if diff := cmp.Diff(r, inspectDB(t, again), cmpOpts); diff != "" {
				t.Errorf("inspect after re-creating (-first +second):\n%s", diff)
			}
		})
	}
}

func TestInspectObjects(t *testing.T) {
	db := openTestDB(t)
	execSQL(t, db,
		`CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)`,
		`CREATE TABLE a (id INTEGER PRIMARY KEY)`,
		`CREATE VIEW v AS SELECT id FROM a`,
		`CREATE TRIGGER a_t2 AFTER INSERT ON a BEGIN SELECT 1; END`,
		`CREATE TRIGGER a_t1 AFTER DELETE ON a BEGIN SELECT 1; END`,
		`CREATE TRIGGER v_t INSTEAD OF INSERT ON v BEGIN SELECT 1; END`,
		`CREATE VIRTUAL TABLE docs USING fts5(title, body)`,
		`CREATE TEMP TABLE a (x, y)`,
		`CREATE TEMP TABLE tmp (x)`,
		`INSERT INTO b (v) VALUES ('x')`,
		`ANALYZE`,
	)
	s := mainSchema(t, inspectDB(t, db))
	var names []string
	for _, tab := range s.Tables {
		names = append(names, tab.Name)
	}
	if diff := cmp.Diff([]string{"a", "b"}, names); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	a, _ := s.Table("a")
	if diff := cmp.Diff([]*schema.Column{col("id", typ("integer"), false)}, a.Columns, cmpOpts); diff != "" {
		t.Errorf("main.a is shadowed by temp.a (-want +got):\n%s", diff)
	}
	wantTriggers := []*schema.Object{
		{Kind: "trigger", Name: "a_t1", Table: "a", SQL: `CREATE TRIGGER a_t1 AFTER DELETE ON a BEGIN SELECT 1; END`},
		{Kind: "trigger", Name: "a_t2", Table: "a", SQL: `CREATE TRIGGER a_t2 AFTER INSERT ON a BEGIN SELECT 1; END`},
	}
	if diff := cmp.Diff(wantTriggers, a.Triggers); diff != "" {
		t.Errorf("triggers (-want +got):\n%s", diff)
	}
	wantObjects := []*schema.Object{
		{Kind: "trigger", Name: "v_t", Table: "v", SQL: `CREATE TRIGGER v_t INSTEAD OF INSERT ON v BEGIN SELECT 1; END`},
		{Kind: "view", Name: "v", SQL: `CREATE VIEW v AS SELECT id FROM a`},
		{Kind: "virtual table", Name: "docs", SQL: `CREATE VIRTUAL TABLE docs USING fts5(title, body)`},
	}
	if diff := cmp.Diff(wantObjects, s.Objects); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
}

// TestInspectQueryCount pins the constant number of catalog queries: the
// same four whatever the number of tables.
func TestInspectQueryCount(t *testing.T) {
	for _, n := range []int{1, 50} {
		db := openTestDB(t)
		ddl := []string{"BEGIN"}
		for i := range n {
			ddl = append(ddl, fmtTable(i, 3))
		}
		execSQL(t, db, strings.Join(append(ddl, "COMMIT"), ";\n"))
		c := &countingQuerier{q: db}
		if _, err := New().Inspect(t.Context(), c); err != nil {
			t.Fatal(err)
		}
		if c.n != 4 {
			t.Errorf("%d tables: %d queries, want 4", n, c.n)
		}
	}
}

// TestDeferredMatchesSQLite checks what inspect says of a foreign key's
// deferral against what SQLite does: inside a transaction, a deferred key
// lets an orphan row in until COMMIT, an immediate one refuses it at once.
// SQLite applies a defer clause to the key declared last, and the last of
// several clauses wins.
func TestDeferredMatchesSQLite(t *testing.T) {
	for _, ddl := range []string{
		`c (x int REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int REFERENCES p (id))`,
		`c (x int REFERENCES p (id) DEFERRABLE)`,
		`c (x int REFERENCES p (id) DEFERRABLE INITIALLY IMMEDIATE)`,
		`c (x int REFERENCES p (id) NOT DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int REFERENCES p (id) NOT NULL DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED DEFERRABLE INITIALLY IMMEDIATE)`,
		`c (x int REFERENCES p (id) DEFERRABLE INITIALLY IMMEDIATE /* why */ DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int REFERENCES p (id), y int DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int, FOREIGN KEY (x) REFERENCES p (id) MATCH SIMPLE DEFERRABLE INITIALLY DEFERRED)`,
		`c (x int, CONSTRAINT k FOREIGN KEY (x) REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE)`,
	} {
		db := openTestDB(t)
		for _, s := range []string{"PRAGMA foreign_keys = on", "CREATE TABLE p (id integer PRIMARY KEY)", "CREATE TABLE " + ddl} {
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		r, err := New().Inspect(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := r.Schemas[0].Table("c")
		if len(c.ForeignKeys) != 1 {
			t.Fatalf("%s: %d foreign keys", ddl, len(c.ForeignKeys))
		}
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		_, insertErr := conn.ExecContext(ctx, "INSERT INTO c (x) VALUES (42)")
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
		if sqliteDefers := insertErr == nil; c.ForeignKeys[0].Deferred != sqliteDefers {
			t.Errorf("%s: inspect says deferred = %v, SQLite defers = %v", ddl, c.ForeignKeys[0].Deferred, sqliteDefers)
		}
	}
}
