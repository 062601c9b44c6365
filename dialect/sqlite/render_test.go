package sqlite

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

// itemsLog is a trigger on the table under test: a rebuild must re-create it.
var itemsLog = &schema.Object{Kind: "trigger", Name: "items_log", Table: "items",
	SQL: "CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log (item_id) VALUES (new.id); END"}

// items is the table every render case starts from, before its changes.
func items(edits ...func(*schema.Table)) func() *schema.Table {
	return func() *schema.Table {
		t := &schema.Table{
			Name: "items",
			Columns: []*schema.Column{
				col("id", typ("integer"), false),
				col("name", typ("text"), false),
				col("qty", typ("integer"), true),
				col("note", typ("varchar", 20), true),
			},
			PrimaryKey: pk("id"),
			Indexes:    []*schema.Index{idx("items_name_idx", false, "name")},
			Triggers:   []*schema.Object{itemsLog},
		}
		for _, e := range edits {
			e(t)
		}
		return t
	}
}

func column(t *schema.Table, name string) *schema.Column {
	c, ok := t.Column(name)
	if !ok {
		panic("test table has no column " + name)
	}
	return c
}

func addCol(c *schema.Column) func(*schema.Table) {
	return func(t *schema.Table) { t.Columns = append(t.Columns, c) }
}

func addIdx(i *schema.Index) func(*schema.Table) {
	return func(t *schema.Table) { t.Indexes = append(t.Indexes, i) }
}

func addFK(f *schema.ForeignKey) func(*schema.Table) {
	return func(t *schema.Table) { t.ForeignKeys = append(t.ForeignKeys, f) }
}

func addCheck(c *schema.Check) func(*schema.Table) {
	return func(t *schema.Table) { t.Checks = append(t.Checks, c) }
}

func setCol(name string, edit func(*schema.Column)) func(*schema.Table) {
	return func(t *schema.Table) { edit(column(t, name)) }
}

// modify builds the ModifyColumn of one column between the two tables.
func modify(name string, kind schema.ChangeKind) func(from, to *schema.Table) []schema.Change {
	return func(from, to *schema.Table) []schema.Change {
		return []schema.Change{&schema.ModifyColumn{From: column(from, name), To: column(to, name), Kind: kind}}
	}
}

func changes(cs ...schema.Change) func(from, to *schema.Table) []schema.Change {
	return func(*schema.Table, *schema.Table) []schema.Change { return cs }
}

type renderCase struct {
	name     string
	from, to func() *schema.Table
	changes  func(from, to *schema.Table) []schema.Change
	// rebuild and rebuildBack say whether each direction must rebuild the
	// table rather than ALTER it in place.
	rebuild, rebuildBack bool
	// after holds the values a column has after the change when they are
	// not the values before (CAST AS TEXT, ordered by id).
	after map[string][]string
	// setup and check run before and after the forward migration.
	setup, check func(t *testing.T, db *sql.DB)
}

var (
	qtyFK = &schema.ForeignKey{Name: "items_qty_fk", Columns: []string{"qty"}, RefTable: "groups", RefColumns: []string{"id"}, OnDelete: schema.SetNull}
	total = &schema.Column{Name: "total", Type: typ("integer"), Null: true, Generated: &schema.Generated{Expr: "qty * 2"}}
)

func renderCases() []renderCase {
	return []renderCase{
		{
			name:    "column type within a family",
			from:    items(),
			to:      items(setCol("qty", func(c *schema.Column) { c.Type = typ("bigint") })),
			changes: modify("qty", schema.ChangeType),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "column type varchar to text",
			from:    items(),
			to:      items(setCol("note", func(c *schema.Column) { c.Type = typ("text") })),
			changes: modify("note", schema.ChangeType),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "column type text to integer converts numeric text",
			from:    items(),
			to:      items(setCol("note", func(c *schema.Column) { c.Type = typ("integer") })),
			changes: modify("note", schema.ChangeType),
			rebuild: true, rebuildBack: true,
			after: map[string][]string{"note": {"x", "NULL", "7"}},
		},
		{
			name:    "column raw type",
			from:    items(),
			to:      items(setCol("note", func(c *schema.Column) { c.Type = raw("BLOB SUB_TYPE TEXT") })),
			changes: modify("note", schema.ChangeType),
			rebuild: true, rebuildBack: true,
		},
		{
			name: "column null to not null with a default",
			from: items(),
			to: items(setCol("qty", func(c *schema.Column) {
				c.Null = false
				c.Default = num("0")
			})),
			changes: modify("qty", schema.ChangeNull|schema.ChangeDefault),
			rebuild: true, rebuildBack: true,
			after: map[string][]string{"qty": {"1", "0", "3"}},
		},
		{
			name:    "column default",
			from:    items(),
			to:      items(setCol("name", func(c *schema.Column) { c.Default = str("it's unnamed") })),
			changes: modify("name", schema.ChangeDefault),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "column raw default",
			from:    items(),
			to:      items(setCol("note", func(c *schema.Column) { c.Default = rawd("CURRENT_TIMESTAMP") })),
			changes: modify("note", schema.ChangeDefault),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "column collation",
			from:    items(),
			to:      items(setCol("note", func(c *schema.Column) { c.Collate = "NOCASE" })),
			changes: modify("note", schema.ChangeCollate),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "add nullable column",
			from:    items(),
			to:      items(addCol(col("extra", typ("int"), true))),
			changes: changes(&schema.AddColumn{C: col("extra", typ("int"), true)}),
		},
		{
			name:    "add not null column with a constant default",
			from:    items(),
			to:      items(addCol(&schema.Column{Name: "extra", Type: typ("text"), Default: str("n")})),
			changes: changes(&schema.AddColumn{C: &schema.Column{Name: "extra", Type: typ("text"), Default: str("n")}}),
		},
		{
			name:    "add column with an expression default",
			from:    items(),
			to:      items(addCol(&schema.Column{Name: "created", Type: typ("text"), Default: rawd("datetime('now')")})),
			changes: changes(&schema.AddColumn{C: &schema.Column{Name: "created", Type: typ("text"), Default: rawd("datetime('now')")}}),
			rebuild: true,
		},
		{
			name:    "add virtual generated column",
			from:    items(),
			to:      items(addCol(total)),
			changes: changes(&schema.AddColumn{C: total}),
		},
		{
			name: "add stored generated column",
			from: items(),
			to: items(addCol(&schema.Column{Name: "total", Type: typ("integer"), Null: true,
				Generated: &schema.Generated{Expr: "qty * 2", Stored: true}})),
			changes: changes(&schema.AddColumn{C: &schema.Column{Name: "total", Type: typ("integer"), Null: true,
				Generated: &schema.Generated{Expr: "qty * 2", Stored: true}}}),
			rebuild: true,
		},
		{
			name: "generated expression and storage",
			from: items(addCol(total)),
			to: items(addCol(&schema.Column{Name: "total", Type: typ("integer"), Null: true,
				Generated: &schema.Generated{Expr: "qty * 3", Stored: true}})),
			changes: modify("total", schema.ChangeGenerated),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "autoincrement",
			from:    items(),
			to:      items(setCol("id", func(c *schema.Column) { c.AutoIncrement = true })),
			changes: modify("id", schema.ChangeAutoIncrement),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "autoincrement counter survives a rebuild",
			from:    items(setCol("id", func(c *schema.Column) { c.AutoIncrement = true })),
			to:      items(setCol("id", func(c *schema.Column) { c.AutoIncrement = true }), setCol("qty", func(c *schema.Column) { c.Type = typ("bigint") })),
			changes: modify("qty", schema.ChangeType),
			rebuild: true, rebuildBack: true,
			setup: func(t *testing.T, db *sql.DB) {
				execSQL(t, db, `UPDATE sqlite_sequence SET seq = 100 WHERE name = 'items'`)
			},
			check: func(t *testing.T, db *sql.DB) {
				if got := queryStrings(t, db, `SELECT name, seq FROM sqlite_sequence`); !cmp.Equal(got, [][]string{{"items", "100"}}) {
					t.Errorf("sqlite_sequence = %v, want items 100", got)
				}
			},
		},
		{
			name:    "add index",
			from:    items(),
			to:      items(addIdx(idx("items_qty_idx", false, "qty", "note"))),
			changes: changes(&schema.AddIndex{I: idx("items_qty_idx", false, "qty", "note")}),
		},
		{
			name:    "add unique index",
			from:    items(),
			to:      items(addIdx(idx("items_note_uq", true, "note"))),
			changes: changes(&schema.AddIndex{I: idx("items_note_uq", true, "note")}),
		},
		{
			name:    "add partial and expression index",
			from:    items(),
			to:      items(addIdx(&schema.Index{Name: "items_expr", Parts: []schema.IndexPart{{Expr: "lower(name)", Desc: true}, {Column: "qty"}}, Where: "qty > 0"})),
			changes: changes(&schema.AddIndex{I: &schema.Index{Name: "items_expr", Parts: []schema.IndexPart{{Expr: "lower(name)", Desc: true}, {Column: "qty"}}, Where: "qty > 0"}}),
		},
		{
			name:    "rename index",
			from:    items(),
			to:      items(func(t *schema.Table) { t.Indexes[0].Name = "items_by_name" }),
			changes: changes(&schema.RenameIndex{From: "items_name_idx", To: "items_by_name"}),
		},
		{
			name:    "add unique constraint",
			from:    items(),
			to:      items(addIdx(idx("sqlite_autoindex_items_1", true, "name", "note"))),
			changes: changes(&schema.AddIndex{I: idx("sqlite_autoindex_items_1", true, "name", "note")}),
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "add foreign key",
			from:    items(),
			to:      items(addFK(qtyFK)),
			changes: changes(&schema.AddForeignKey{F: qtyFK}),
			rebuild: true, rebuildBack: true,
		},
		{
			name: "foreign key action",
			from: items(addFK(qtyFK)),
			to: items(addFK(&schema.ForeignKey{Name: "items_qty_fk", Columns: []string{"qty"}, RefTable: "groups",
				RefColumns: []string{"id"}, OnUpdate: schema.Cascade, OnDelete: schema.Restrict})),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropForeignKey{F: from.ForeignKeys[0]}, &schema.AddForeignKey{F: to.ForeignKeys[0]}}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name: "add checks",
			from: items(),
			to: items(addCheck(&schema.Check{Name: "qty_positive", Expr: "qty IS NULL OR qty > 0", Enforced: true}),
				addCheck(&schema.Check{Expr: "length(name) > 0", Enforced: true})),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddCheck{C: to.Checks[0]}, &schema.AddCheck{C: to.Checks[1]}}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name: "primary key",
			from: items(),
			to: items(func(t *schema.Table) { t.PrimaryKey = pk("id", "name") },
				addIdx(idx("items_id_uq", true, "id"))),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{
					&schema.ModifyPrimaryKey{From: from.PrimaryKey, To: to.PrimaryKey},
					&schema.AddIndex{I: to.Indexes[1]},
				}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name: "strict",
			from: items(),
			to: items(setCol("note", func(c *schema.Column) { c.Type = typ("text") }),
				func(t *schema.Table) { t.Strict = true }),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{
					&schema.ModifyColumn{From: column(from, "note"), To: column(to, "note"), Kind: schema.ChangeType},
					&schema.ModifyTableOptions{From: from, To: to, Kind: schema.ChangeStrict},
				}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name: "without rowid",
			from: items(),
			to:   items(func(t *schema.Table) { t.WithoutRowID = true }),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.ModifyTableOptions{From: from, To: to, Kind: schema.ChangeWithoutRowID}}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name:    "rename column",
			from:    items(),
			to:      items(setCol("name", func(c *schema.Column) { c.Name = "title" }), func(t *schema.Table) { t.Indexes[0].Parts[0].Column = "title" }),
			changes: changes(&schema.RenameColumn{From: "name", To: "title"}),
		},
		{
			name: "rename column and change its type",
			from: items(),
			to:   items(setCol("note", func(c *schema.Column) { c.Name, c.Type = "memo", typ("text") })),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{
					&schema.RenameColumn{From: "note", To: "memo"},
					&schema.ModifyColumn{From: column(from, "note"), To: column(to, "memo"), Kind: schema.ChangeType},
				}
			},
			rebuild: true, rebuildBack: true,
		},
		{
			name: "drop indexed column",
			from: items(addIdx(idx("items_note_idx", false, "note"))),
			to:   items(func(t *schema.Table) { t.Columns = t.Columns[:3] }),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropIndex{I: from.Indexes[1]}, &schema.DropColumn{C: column(from, "note")}}
			},
		},
		{
			name: "drop column a generated column reads",
			from: items(addCol(col("w", typ("int"), true)), addCol(&schema.Column{Name: "w2", Type: typ("int"), Null: true,
				Generated: &schema.Generated{Expr: "w + 1"}})),
			to: items(),
			changes: func(from, to *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropColumn{C: column(from, "w2")}, &schema.DropColumn{C: column(from, "w")}}
			},
			rebuild: true,
		},
	}
}

// TestRenderModifyTable applies each kind of change to a table with rows and
// a child table whose foreign key cascades on delete, then applies the
// inverse change. Each direction must read back as its target, keep the
// rows and leave the child rows alone.
func TestRenderModifyTable(t *testing.T) {
	for _, tc := range renderCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openTestDB(t)
			setupItems(t, db, tc.from())
			if diff := cmp.Diff(normalizedTable(t, tc.from()), tableOf(t, inspectDB(t, db), "items"), cmpOpts); diff != "" {
				t.Fatalf("the From table does not read back as built (-want +got):\n%s", diff)
			}
			if tc.setup != nil {
				tc.setup(t, db)
			}
			from, to := tc.from(), tc.to()
			fwd := tc.changes(from, to)
			before := columnValues(t, db, from)
			applyChange(t, db, &schema.ModifyTable{From: from, To: to, Changes: fwd}, tc.rebuild)
			checkTable(t, db, tc.to())
			if tc.check != nil {
				tc.check(t, db)
			}
			afterFwd := columnValues(t, db, to)
			checkValues(t, "forward", before, afterFwd, renameMap(fwd), tc.after)

			from, to = tc.from(), tc.to()
			back := invert(tc.changes(from, to))
			applyChange(t, db, &schema.ModifyTable{From: to, To: from, Changes: back}, tc.rebuildBack)
			checkTable(t, db, tc.from())
			if tc.check != nil {
				tc.check(t, db)
			}
			checkValues(t, "reverse", afterFwd, columnValues(t, db, from), renameMap(back), nil)
		})
	}
}

// setupItems creates the table under test, with rows, a parent table for
// its foreign keys, a child table that cascades deletes, a log table its
// trigger writes to, and a view that reads it.
func setupItems(t *testing.T, db *sql.DB, items *schema.Table) {
	t.Helper()
	execSQL(t, db,
		`CREATE TABLE "groups" (id INTEGER PRIMARY KEY, name TEXT)`,
		`INSERT INTO "groups" (id) VALUES (1), (2), (3)`,
		`CREATE TABLE log (item_id INT)`,
	)
	stmts, err := New().Render(&schema.AddTable{T: items})
	if err != nil {
		t.Fatal(err)
	}
	execSQL(t, db, stmts...)
	execSQL(t, db,
		`CREATE TABLE children (id INTEGER PRIMARY KEY, item_id INT REFERENCES items (id) ON DELETE CASCADE)`,
		`CREATE VIEW items_view AS SELECT id FROM items`,
		`INSERT INTO items (id, name, qty, note) VALUES (1, 'a', 1, 'x'), (2, 'b', NULL, NULL), (3, 'c', 3, '007')`,
		`INSERT INTO children (item_id) VALUES (1), (1), (2), (3)`,
	)
}

// applyChange renders m, checks that it rebuilds the table or not as
// expected, runs it as a migration and checks that the rows around the table
// are intact.
func applyChange(t *testing.T, db *sql.DB, m *schema.ModifyTable, rebuild bool) {
	t.Helper()
	stmts, err := New().Render(m)
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Join(stmts, ";\n")
	if got := strings.Contains(script, "CREATE TABLE `_schemactl_tmp_items`"); got != rebuild {
		t.Errorf("rebuild = %v, want %v:\n%s", got, rebuild, script)
	}
	if err := tryMigrate(db, stmts); err != nil {
		t.Fatalf("migration failed: %v\n%s", err, script)
	}
	for query, want := range map[string]string{
		`SELECT count(*) FROM items`:      "3",
		`SELECT count(*) FROM items_view`: "3",
		`SELECT count(*) FROM children`:   "4",
		`SELECT count(*) FROM log`:        "3",
	} {
		if got := queryStrings(t, db, query)[0][0]; got != want {
			t.Errorf("%s = %s, want %s after:\n%s", query, got, want, script)
		}
	}
}

func checkTable(t *testing.T, db *sql.DB, want *schema.Table) {
	t.Helper()
	if diff := cmp.Diff(normalizedTable(t, want), tableOf(t, inspectDB(t, db), "items"), cmpOpts); diff != "" {
		t.Errorf("inspect after the change (-want +got):\n%s", diff)
	}
}

func normalizedTable(t *testing.T, tab *schema.Table) *schema.Table {
	t.Helper()
	return normalized(t, tab).Schemas[0].Tables[0]
}

// columnValues reads every stored column of the table, as text, by id.
func columnValues(t *testing.T, db *sql.DB, tab *schema.Table) map[string][]string {
	t.Helper()
	vals := map[string][]string{}
	for _, c := range tab.Columns {
		if c.Generated != nil {
			continue
		}
		for _, row := range queryStrings(t, db, "SELECT coalesce(CAST("+New().QuoteIdent(c.Name)+" AS TEXT), 'NULL') FROM items ORDER BY id") {
			vals[c.Name] = append(vals[c.Name], row[0])
		}
	}
	return vals
}

// checkValues compares the columns present before and after (following
// renames), expecting the same values unless want says otherwise.
func checkValues(t *testing.T, dir string, before, after map[string][]string, renames map[string]string, want map[string][]string) {
	t.Helper()
	for name, vals := range before {
		if n, ok := renames[name]; ok {
			name = n
		}
		got, ok := after[name]
		if !ok {
			continue
		}
		if w, ok := want[name]; ok {
			vals = w
		}
		if diff := cmp.Diff(vals, got); diff != "" {
			t.Errorf("%s: values of %q (-want +got):\n%s", dir, name, diff)
		}
	}
}

func renameMap(cs []schema.Change) map[string]string {
	m := map[string]string{}
	for _, c := range cs {
		if r, ok := c.(*schema.RenameColumn); ok {
			m[r.From] = r.To
		}
	}
	return m
}

// invert returns the changes that undo cs, renames first as ModifyTable
// requires.
func invert(cs []schema.Change) []schema.Change {
	var renames, rest []schema.Change
	for _, c := range cs {
		switch c := c.(type) {
		case *schema.RenameColumn:
			renames = append(renames, &schema.RenameColumn{From: c.To, To: c.From})
		case *schema.RenameIndex:
			renames = append(renames, &schema.RenameIndex{From: c.To, To: c.From})
		case *schema.AddColumn:
			rest = append(rest, &schema.DropColumn{C: c.C})
		case *schema.DropColumn:
			rest = append(rest, &schema.AddColumn{C: c.C})
		case *schema.ModifyColumn:
			rest = append(rest, &schema.ModifyColumn{From: c.To, To: c.From, Kind: c.Kind})
		case *schema.AddIndex:
			rest = append(rest, &schema.DropIndex{I: c.I})
		case *schema.DropIndex:
			rest = append(rest, &schema.AddIndex{I: c.I})
		case *schema.ModifyPrimaryKey:
			rest = append(rest, &schema.ModifyPrimaryKey{From: c.To, To: c.From})
		case *schema.AddForeignKey:
			rest = append(rest, &schema.DropForeignKey{F: c.F})
		case *schema.DropForeignKey:
			rest = append(rest, &schema.AddForeignKey{F: c.F})
		case *schema.AddCheck:
			rest = append(rest, &schema.DropCheck{C: c.C})
		case *schema.DropCheck:
			rest = append(rest, &schema.AddCheck{C: c.C})
		case *schema.ModifyTableOptions:
			rest = append(rest, &schema.ModifyTableOptions{From: c.To, To: c.From, Kind: c.Kind})
		default:
			panic("invert: unexpected change")
		}
	}
	return append(renames, rest...)
}
