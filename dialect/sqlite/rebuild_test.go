package sqlite

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
)

// TestRenameTable renames a table that a view, a trigger and a foreign key
// name, then rebuilds it under its new name in the same migration.
func TestRenameTable(t *testing.T) {
	db := openTestDB(t)
	setupItems(t, db, items()())
	from := items()()
	to := items(func(t *schema.Table) {
		t.Name = "goods"
		t.Triggers = []*schema.Object{{Kind: "trigger", Name: "items_log", Table: "goods",
			SQL: "CREATE TRIGGER items_log AFTER INSERT ON \"goods\" BEGIN INSERT INTO log (item_id) VALUES (new.id); END"}}
	}, setCol("qty", func(c *schema.Column) { c.Type = typ("bigint") }))()
	d := New()
	var stmts []string
	for _, c := range []schema.Change{
		&schema.RenameTable{From: "items", To: "goods"},
		&schema.ModifyTable{From: from, To: to, Changes: modify("qty", schema.ChangeType)(from, to)},
	} {
		ss, err := d.Render(c)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, ss...)
	}
	if stmts[0] != "ALTER TABLE `items` RENAME TO `goods`" {
		t.Errorf("first statement = %q", stmts[0])
	}
	migrate(t, db, stmts)
	r := inspectDB(t, db)
	if _, ok := mainSchema(t, r).Table("items"); ok {
		t.Error("table items still exists")
	}
	if diff := cmp.Diff(normalizedTable(t, to), tableOf(t, r, "goods"), cmpOpts); diff != "" {
		t.Errorf("goods (-want +got):\n%s", diff)
	}
	for query, want := range map[string]string{
		`SELECT count(*) FROM items_view`:                                        "3",
		`SELECT count(*) FROM children`:                                          "4",
		`SELECT "table" FROM pragma_foreign_key_list('children')`:                "goods",
		`SELECT sql LIKE '%goods%' FROM sqlite_schema WHERE name = 'items_view'`: "1",
	} {
		if got := queryStrings(t, db, query)[0][0]; got != want {
			t.Errorf("%s = %s, want %s", query, got, want)
		}
	}
}

// TestRebuildSakila rebuilds Sakila's film table, which views read, triggers
// maintain and child tables reference: everything around it must survive.
func TestRebuildSakila(t *testing.T) {
	script, err := os.ReadFile(testdb.Fixture(t, "sakila/sqlite-sakila-schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t)
	execSQL(t, db, string(script),
		`INSERT INTO language (language_id, name, last_update) VALUES (1, 'English', '2006-02-15')`,
		`INSERT INTO film (film_id, title, description, language_id, last_update) VALUES
			(1, 'ACADEMY DINOSAUR', 'An Epic Drama', 1, '2006-02-15'), (2, 'ACE GOLDFINGER', NULL, 1, '2006-02-15')`,
		`INSERT INTO actor (actor_id, first_name, last_name, last_update) VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15')`,
		`INSERT INTO film_actor (actor_id, film_id, last_update) VALUES (1, 1, '2006-02-15'), (1, 2, '2006-02-15')`,
		`INSERT INTO category (category_id, name, last_update) VALUES (1, 'Action', '2006-02-15')`,
		`INSERT INTO film_category (film_id, category_id, last_update) VALUES (1, 1, '2006-02-15')`,
	)
	before := inspectDB(t, db)
	from := tableOf(t, before, "film")
	to := tableOf(t, inspectDB(t, db), "film")
	desc, length := column(to, "description"), column(to, "length")
	desc.Type, desc.Null, desc.Default = typ("text"), false, str("")
	length.Type = typ("integer")
	m := &schema.ModifyTable{From: from, To: to, Changes: []schema.Change{
		&schema.ModifyColumn{From: column(from, "description"), To: desc, Kind: schema.ChangeType | schema.ChangeNull | schema.ChangeDefault},
		&schema.ModifyColumn{From: column(from, "length"), To: length, Kind: schema.ChangeType},
	}}
	stmts, err := New().Render(m)
	if err != nil {
		t.Fatal(err)
	}
	counts := func() [][]string {
		return queryStrings(t, db, `SELECT (SELECT count(*) FROM film), (SELECT count(*) FROM film_actor),
			(SELECT count(*) FROM film_category), (SELECT count(*) FROM film_list), (SELECT count(*) FROM pragma_foreign_key_check)`)
	}
	wantCounts := counts()
	migrate(t, db, stmts)
	if diff := cmp.Diff(wantCounts, counts()); diff != "" {
		t.Errorf("row counts (-before +after):\n%s", diff)
	}
	after := inspectDB(t, db)
	if diff := cmp.Diff(normalizedTable(t, to), tableOf(t, after, "film"), cmpOpts); diff != "" {
		t.Errorf("film (-want +got):\n%s", diff)
	}
	// Everything but film is as it was: the other tables, views, triggers.
	mainSchema(t, before).Tables = slicesDelete(mainSchema(t, before).Tables, "film")
	mainSchema(t, after).Tables = slicesDelete(mainSchema(t, after).Tables, "film")
	if diff := cmp.Diff(before, after, cmpOpts); diff != "" {
		t.Errorf("the rest of the schema changed (-before +after):\n%s", diff)
	}
	got := queryStrings(t, db, `SELECT film_id, quote(description) FROM film ORDER BY film_id`)
	if want := [][]string{{"1", "'An Epic Drama'"}, {"2", "''"}}; !cmp.Equal(want, got) {
		t.Errorf("descriptions = %v, want %v", got, want)
	}
	// The triggers were re-created: an update stamps last_update again.
	execSQL(t, db, `UPDATE film SET title = 'X' WHERE film_id = 2`)
	if got := queryStrings(t, db, `SELECT last_update <> '2006-02-15' FROM film WHERE film_id = 2`)[0][0]; got != "1" {
		t.Error("film_trigger_au did not fire after the rebuild")
	}
	if !strings.Contains(strings.Join(stmts, "\n"), "IFNULL(`description`, '')") {
		t.Errorf("no IFNULL for the column that became NOT NULL:\n%s", strings.Join(stmts, "\n"))
	}
}

func slicesDelete(tables []*schema.Table, name string) []*schema.Table {
	var kept []*schema.Table
	for _, t := range tables {
		if t.Name != name {
			kept = append(kept, t)
		}
	}
	return kept
}
