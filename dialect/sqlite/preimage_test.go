package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// TestPreImage runs DDL statements one after another on one database. The
// pre-image of each statement's objects must not change when an unrelated
// statement runs, and must change when the statement runs.
func TestPreImage(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	obj := func(kind, name string) []sqltext.Object { return []sqltext.Object{{Kind: kind, Name: name}} }
	steps := []struct {
		stmt string
		objs []sqltext.Object
		same bool // the statement changes no catalog entry
	}{
		{"CREATE TABLE n1 (id INTEGER PRIMARY KEY, c INT)", obj("table", "n1"), false},
		{"INSERT INTO n1 (c) VALUES (1)", obj("table", "n1"), true},
		{"ALTER TABLE n1 ADD COLUMN d TEXT", obj("table", "n1"), false},
		{"CREATE INDEX ix ON n1 (c)", obj("index", "ix"), false},
		{"CREATE UNIQUE INDEX ux ON n1 (d)", obj("table", "n1"), false}, // a table's indexes are its state
		{"ALTER TABLE n1 RENAME COLUMN d TO e", obj("table", "n1"), false},
		{"DROP INDEX ux", obj("index", "ux"), false},
		{"ALTER TABLE n1 DROP COLUMN e", obj("table", "N1"), false},
		{"CREATE TRIGGER tr AFTER INSERT ON n1 BEGIN SELECT 1; END", obj("trigger", "tr"), false},
		{"CREATE TRIGGER tr2 AFTER DELETE ON n1 BEGIN SELECT 2; END", obj("table", "n1"), false},
		{"ALTER TABLE n1 RENAME TO n2", []sqltext.Object{{Kind: "table", Name: "n1"}, {Kind: "table", Name: "n2"}}, false},
		{"CREATE VIEW v AS SELECT 1 AS x", obj("view", "v"), false},
		{"DROP VIEW v", obj("view", "v"), false},
		{"DROP TRIGGER tr", obj("trigger", "tr"), false},
		{"DROP TABLE n2", obj("table", "n2"), false},
		{"CREATE TABLE Hero (x)", obj("table", "hero"), false},
		{"CREATE TEMP TABLE scratch (x)", []sqltext.Object{{Kind: "table", Schema: "temp", Name: "scratch"}}, false},
	}
	image := func(objs []sqltext.Object) string {
		t.Helper()
		img, err := New().PreImage(ctx, conn, objs)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	for i, st := range steps {
		before := image(st.objs)
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE other%d (x); INSERT INTO other%[1]d VALUES (1)", i)); err != nil {
			t.Fatal(err)
		}
		if got := image(st.objs); got != before {
			t.Errorf("%s: the pre-image changed without it:\n%s\nwas:\n%s", st.stmt, got, before)
		}
		if _, err := conn.ExecContext(ctx, st.stmt); err != nil {
			t.Fatalf("%s: %v", st.stmt, err)
		}
		if after := image(st.objs); (after == before) != st.same {
			t.Errorf("%s: the pre-image changed %v:\n%s", st.stmt, after != before, after)
		}
	}
	if img := image(obj("view", "nope")); img != "view `main`.`nope`: absent" {
		t.Errorf("absent view: %q", img)
	}
	if _, err := New().PreImage(ctx, conn, obj("procedure", "p")); err == nil || !strings.Contains(err.Error(), "SQLite has no procedure") {
		t.Errorf("procedure: %v", err)
	}
}
