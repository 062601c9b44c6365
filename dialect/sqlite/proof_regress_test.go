package sqlite

import (
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// Bugs found by the convergence proof (cmd/schemactl/proof_convergence_test.go),
// each pinned by the smallest case that showed it.

// A rebuild copied rows into new_<table>, which is an ordinary name: with a
// table (or index) called new_t beside t, every rebuild of t failed.
func TestRebuildBesideTableNamedNewT(t *testing.T) {
	db := openTestDB(t)
	execSQL(t, db,
		"CREATE TABLE t (id integer NOT NULL PRIMARY KEY, a text NULL)",
		"CREATE TABLE new_t (x int)",
		"CREATE INDEX `new_t_idx` ON t (a)",
		"INSERT INTO t VALUES (1, 'one'), (2, NULL)",
	)
	from := tableOf(t, inspectDB(t, db), "t")
	to := tableOf(t, normalized(t, &schema.Table{Name: "t",
		Columns:    []*schema.Column{col("id", typ("integer"), false), col("a", typ("text"), false)},
		PrimaryKey: pk("id"), Indexes: []*schema.Index{idx("new_t_idx", false, "a")}}), "t")
	to.Columns[1].Default = str("none")
	m := &schema.ModifyTable{From: from, To: to, Changes: []schema.Change{
		&schema.ModifyColumn{From: from.Columns[1], To: to.Columns[1], Kind: schema.ChangeNull | schema.ChangeDefault},
	}}
	stmts, err := New().Render(m)
	if err != nil {
		t.Fatal(err)
	}
	migrate(t, db, stmts)
	if got := queryStrings(t, db, "SELECT id, a FROM t ORDER BY id"); !slices.Equal(flat(got), []string{"1", "one", "2", "none"}) {
		t.Errorf("rows after the rebuild: %v", got)
	}
	if got := queryStrings(t, db, "SELECT count(*) FROM new_t"); got[0][0] != "0" {
		t.Errorf("new_t was touched: %v", got)
	}
}

// SQLite (3.54) refuses ALTER TABLE … ADD, DROP and RENAME COLUMN for a
// column named rowid, _rowid_ or oid ("cannot rename from rowid alias"):
// such changes must rebuild, and renames done by the copy must keep the
// rows while the table's other renames stay in place.
func TestRowidNamedColumnsRebuild(t *testing.T) {
	tests := []struct {
		name    string
		changes func(from, to *schema.Table) []schema.Change
		to      []*schema.Column
		want    []string // SELECT * after the migration
	}{
		{
			name: "rename rowid and another column",
			to:   []*schema.Column{col("id", typ("integer"), false), col("c", typ("int"), true), col("b", typ("text"), true)},
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.RenameColumn{From: "rowid", To: "c"}, &schema.RenameColumn{From: "a", To: "b"}}
			},
			want: []string{"1", "10", "x"},
		},
		{
			name: "rename to oid",
			to:   []*schema.Column{col("id", typ("integer"), false), col("rowid", typ("int"), true), col("oid", typ("text"), true)},
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.RenameColumn{From: "a", To: "oid"}}
			},
			want: []string{"1", "10", "x"},
		},
		{
			name: "add _rowid_",
			to: []*schema.Column{col("id", typ("integer"), false), col("rowid", typ("int"), true), col("a", typ("text"), true),
				col("_rowid_", typ("int"), true)},
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddColumn{C: to.Columns[3]}}
			},
			want: []string{"1", "10", "x", "<nil>"},
		},
		{
			name: "drop rowid",
			to:   []*schema.Column{col("id", typ("integer"), false), col("a", typ("text"), true)},
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropColumn{C: from.Columns[1]}}
			},
			want: []string{"1", "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openTestDB(t)
			execSQL(t, db,
				"CREATE TABLE t (id integer NOT NULL PRIMARY KEY, rowid int NULL, a text NULL)",
				"CREATE TABLE child (t_id integer REFERENCES t (id))",
				"INSERT INTO t VALUES (1, 10, 'x')",
				"INSERT INTO child VALUES (1)",
			)
			from := tableOf(t, inspectDB(t, db), "t")
			to := tableOf(t, normalized(t, &schema.Table{Name: "t", Columns: tt.to, PrimaryKey: pk("id")}), "t")
			stmts, err := New().Render(&schema.ModifyTable{From: from, To: to, Changes: tt.changes(from, to)})
			if err != nil {
				t.Fatal(err)
			}
			migrate(t, db, stmts)
			got := flat(queryStrings(t, db, "SELECT * FROM t"))
			if !slices.Equal(got, tt.want) {
				t.Errorf("rows = %q, want %q\n%s", got, tt.want, strings.Join(stmts, ";\n"))
			}
		})
	}
}

// The foreign key check compared violations per (child, parent) pair, so a
// migration that renamed a table holding old violations failed with "new
// violations" it had not made.
func TestForeignKeyCheckAcrossTableRename(t *testing.T) {
	db := openTestDB(t)
	execSQL(t, db,
		"PRAGMA foreign_keys = off",
		"CREATE TABLE p (id integer PRIMARY KEY)",
		"CREATE TABLE c (p_id integer REFERENCES p (id))",
		"INSERT INTO c VALUES (7)", // a violation from before schemactl
		"PRAGMA foreign_keys = on",
	)
	migrate(t, db, []string{"ALTER TABLE c RENAME TO c2"})
	// A violation the migration makes is still caught.
	if err := tryMigrate(db, []string{"INSERT INTO c2 VALUES (8)"}); err == nil {
		t.Error("a new violation passed the check")
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
