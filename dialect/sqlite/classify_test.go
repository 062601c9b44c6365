package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/sqltexttest"
	"github.com/schemactl/schemactl/schema/sqltext"
)

func obj(kind, schema, name, table string) sqltext.Object {
	return sqltext.Object{Kind: kind, Schema: schema, Name: name, Table: table}
}

var classTests = []sqltexttest.ClassTest{
	{Stmt: "INSERT INTO t VALUES (1)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "insert or replace into main.\"t\" select * from u", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{obj("table", "main", "t", "")}}},
	{Stmt: "REPLACE INTO [t] (a) VALUES (1)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "REPLACE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "UPDATE OR IGNORE t AS x SET a = u.b FROM u WHERE u.id = x.id", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "DELETE FROM `t` WHERE a IN (SELECT a FROM u)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "WITH d(id) AS MATERIALIZED (SELECT 1) DELETE FROM t WHERE id IN d", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "CREATE TABLE IF NOT EXISTS t (a)", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TABLE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "CREATE TEMP TABLE t (a)", Want: sqltext.Class{Kind: sqltext.Session, Verb: "CREATE TEMP TABLE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "CREATE VIRTUAL TABLE f USING fts5(body)", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE VIRTUAL TABLE", Objects: []sqltext.Object{obj("table", "", "f", "")}}},
	{Stmt: "CREATE UNIQUE INDEX main.ix ON t (a) WHERE a > 0", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE UNIQUE INDEX", Objects: []sqltext.Object{obj("index", "main", "ix", "t")}}},
	{Stmt: "CREATE VIEW v AS SELECT 1", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE VIEW", Objects: []sqltext.Object{obj("view", "", "v", "")}}},
	{Stmt: "CREATE TRIGGER IF NOT EXISTS trg AFTER UPDATE OF a ON t BEGIN SELECT 1; END", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TRIGGER", Objects: []sqltext.Object{obj("trigger", "", "trg", "t")}}},
	{Stmt: "CREATE TEMPORARY TRIGGER trg INSTEAD OF DELETE ON v BEGIN SELECT 1; END", Want: sqltext.Class{Kind: sqltext.Session, Verb: "CREATE TEMPORARY TRIGGER", Objects: []sqltext.Object{obj("trigger", "", "trg", "v")}}},
	{Stmt: "ALTER TABLE t ADD COLUMN b int", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "ALTER TABLE main.t RENAME TO u", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{obj("table", "main", "t", ""), obj("table", "main", "u", "")}}},
	{Stmt: "ALTER TABLE t RENAME COLUMN a TO b", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "DROP TABLE IF EXISTS t", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP TABLE", Objects: []sqltext.Object{obj("table", "", "t", "")}}},
	{Stmt: "DROP INDEX main.ix", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP INDEX", Objects: []sqltext.Object{obj("index", "main", "ix", "")}}},
	{Stmt: "DROP TRIGGER trg", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP TRIGGER", Objects: []sqltext.Object{obj("trigger", "", "trg", "")}}},
	{Stmt: "DROP VIEW v", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP VIEW", Objects: []sqltext.Object{obj("view", "", "v", "")}}},
	{Stmt: "PRAGMA foreign_keys = OFF", Want: sqltext.Class{Kind: sqltext.Session, Verb: "PRAGMA"}},
	{Stmt: "PRAGMA main.cache_size(-2000)", Want: sqltext.Class{Kind: sqltext.Session, Verb: "PRAGMA"}},
	{Stmt: "PRAGMA user_version = 3", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "PRAGMA"}},
	{Stmt: "PRAGMA journal_mode = WAL", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "PRAGMA"}},
	{Stmt: "PRAGMA foreign_key_check", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "PRAGMA"}},
	{Stmt: "ATTACH DATABASE 'x.db' AS x", Want: sqltext.Class{Kind: sqltext.Session, Verb: "ATTACH"}},
	{Stmt: "BEGIN IMMEDIATE", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "BEGIN"}},
	{Stmt: "VACUUM", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "VACUUM"}},
	{Stmt: "ANALYZE t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "ANALYZE"}},
	{Stmt: "SELECT * FROM t", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 3) SELECT n FROM c", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "EXPLAIN QUERY PLAN SELECT 1", Want: sqltext.Class{Kind: sqltext.Read, Verb: "EXPLAIN"}},
	{Stmt: "-- a note\nVALUES (1);", Want: sqltext.Class{Kind: sqltext.Read, Verb: "VALUES"}},
	{Stmt: "/*!40101 SET NAMES utf8 */", Want: sqltext.Class{}},
	{Stmt: "FROBNICATE", Want: sqltext.Class{Verb: "FROBNICATE"}},
}

func TestClassifyText(t *testing.T) { sqltexttest.CheckClasses(t, sqlite.ClassifyText, classTests) }

// TestClassify: on SQLite every statement is transactional, whether the
// table exists or not; the lexical class is kept.
func TestClassify(t *testing.T) {
	ctx := context.Background()
	db, _, err := sqlite.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (a)"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, stmt := range []string{"INSERT INTO t VALUES (1)", "INSERT INTO missing VALUES (1)", "CREATE INDEX i ON t (a)", "PRAGMA foreign_keys = ON"} {
		got, err := sqlite.New().Classify(ctx, conn, stmt)
		if err != nil {
			t.Fatal(err)
		}
		want := sqlite.ClassifyText(stmt)
		want.Transactional = true
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Classify(%q) (-want +got):\n%s", stmt, diff)
		}
	}
}
