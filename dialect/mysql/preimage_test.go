package mysql_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// TestPreImage runs DDL statements one after another on one database. The
// pre-image of each statement's objects must not change when an unrelated
// statement runs (rows inserted, which moves an AUTO_INCREMENT counter; a
// table created), and must change when the statement runs.
func TestPreImage(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	s.exec(t,
		"CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, a int)",
		"INSERT INTO t (a) VALUES (1)",
	)
	conn := s.conns(t, 1)[0]
	table := func(name string) sqltext.Object { return sqltext.Object{Kind: "table", Name: name} }
	obj := func(kind, name string) sqltext.Object { return sqltext.Object{Kind: kind, Name: name} }
	index := sqltext.Object{Kind: "index", Name: "ix", Table: "n1"}
	steps := []struct {
		stmt string
		objs []sqltext.Object
	}{
		{"CREATE TABLE n1 (id int, c int)", []sqltext.Object{table("n1")}},
		{"ALTER TABLE n1 ADD COLUMN d int", []sqltext.Object{table("n1")}},
		{"CREATE INDEX ix ON n1 (c)", []sqltext.Object{index}},
		{"ALTER TABLE n1 ADD UNIQUE KEY uk (d)", []sqltext.Object{table("n1")}},
		{"DROP INDEX ix ON n1", []sqltext.Object{index}},
		{"ALTER TABLE n1 COMMENT 'hi'", []sqltext.Object{table("n1")}},
		{"ALTER TABLE n1 ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES t (id)", []sqltext.Object{table("n1")}},
		{"ALTER TABLE t ADD COLUMN b int", []sqltext.Object{table("t")}},
		{"RENAME TABLE n1 TO n2", []sqltext.Object{table("n1"), table("n2")}},
		{"CREATE VIEW v AS SELECT 1 AS x", []sqltext.Object{obj("view", "v")}},
		{"CREATE OR REPLACE VIEW v AS SELECT 2 AS x", []sqltext.Object{obj("view", "v")}},
		{"CREATE TRIGGER trg BEFORE UPDATE ON t FOR EACH ROW SET NEW.a = 2", []sqltext.Object{obj("trigger", "trg")}},
		{"DROP TRIGGER trg", []sqltext.Object{obj("trigger", "trg")}},
		{"CREATE PROCEDURE pr() SELECT 2", []sqltext.Object{obj("procedure", "pr")}},
		{"ALTER PROCEDURE pr COMMENT 'c'", []sqltext.Object{obj("procedure", "pr")}},
		{"DROP PROCEDURE pr", []sqltext.Object{obj("procedure", "pr")}},
		{"CREATE FUNCTION fn() RETURNS int DETERMINISTIC RETURN 2", []sqltext.Object{obj("function", "fn")}},
		{"CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO SELECT 1", []sqltext.Object{obj("event", "ev")}},
		{"ALTER EVENT ev DISABLE", []sqltext.Object{obj("event", "ev")}},
		{"DROP VIEW v", []sqltext.Object{obj("view", "v")}},
		{"DROP TABLE n2", []sqltext.Object{table("n2")}},
		{"ALTER DATABASE `" + s.name + "` COMMENT 'x'", []sqltext.Object{obj("database", s.name)}},
	}
	image := func(objs []sqltext.Object) string {
		t.Helper()
		img, err := s.d.PreImage(ctx, conn, objs)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	for i, st := range steps {
		before := image(st.objs)
		if _, err := conn.ExecContext(ctx, "INSERT INTO t (a) VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE TABLE other%d (x int)", i)); err != nil {
			t.Fatal(err)
		}
		if got := image(st.objs); got != before {
			t.Errorf("%s: the pre-image changed without it:\n%s\nwas:\n%s", st.stmt, got, before)
		}
		if _, err := conn.ExecContext(ctx, st.stmt); err != nil {
			t.Fatalf("%s: %v", st.stmt, err)
		}
		if after := image(st.objs); after == before {
			t.Errorf("%s: the pre-image did not change:\n%s", st.stmt, after)
		}
	}
	if img := image([]sqltext.Object{table("n1"), obj("trigger", "nope")}); !strings.Contains(img, "table `"+s.name+"`.`n1`: absent") ||
		!strings.Contains(img, "`nope`: absent") {
		t.Errorf("absent objects: %s", img)
	}
}
