package mysql_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/sqltexttest"
	"github.com/schemactl/schemactl/schema/sqltext"
)

func tbl(schema, name string) sqltext.Object {
	return sqltext.Object{Kind: "table", Schema: schema, Name: name}
}

func obj(kind, schema, name, table string) sqltext.Object {
	return sqltext.Object{Kind: kind, Schema: schema, Name: name, Table: table}
}

var classTests = []sqltexttest.ClassTest{
	// DML: the tables written.
	{Stmt: "INSERT INTO t VALUES (1)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "insert low_priority ignore `db`.`t` (a) values (1)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{tbl("db", "t")}}},
	{Stmt: "INSERT INTO t SELECT * FROM u JOIN v USING (id)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "INSERT t SET a = 1 ON DUPLICATE KEY UPDATE a = 2", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "REPLACE INTO t VALUES (1)", Want: sqltext.Class{Kind: sqltext.DML, Verb: "REPLACE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "UPDATE t SET a = 1 WHERE b = 2", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "UPDATE LOW_PRIORITY t AS x SET x.a = (SELECT max(b) FROM u) ORDER BY id LIMIT 1", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "UPDATE a JOIN b ON a.id = b.id SET a.x = b.x", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "a")}}},
	{Stmt: "UPDATE a x, db.b y SET x.v = 1, y.v = 2 WHERE x.id = y.id", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "a"), tbl("db", "b")}}},
	{Stmt: "UPDATE a LEFT JOIN b USING (id) SET v = 1", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "a"), tbl("", "b")}}},
	{Stmt: "DELETE FROM t WHERE a = 1", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "DELETE QUICK IGNORE FROM `s`.`t` AS x WHERE x.a = 1", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{tbl("s", "t")}}},
	{Stmt: "DELETE x, y FROM a AS x INNER JOIN b y ON x.id = y.id JOIN c ON c.id = x.id", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{tbl("", "a"), tbl("", "b")}}},
	{Stmt: "DELETE FROM a.*, b USING a JOIN b JOIN c WHERE a.id = b.id", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{tbl("", "a"), tbl("", "b")}}},
	{Stmt: "WITH d AS (SELECT id FROM u) UPDATE t JOIN d USING (id) SET t.x = 1", Want: sqltext.Class{Kind: sqltext.DML, Verb: "UPDATE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "/*!40000 INSERT INTO t VALUES (1) */", Want: sqltext.Class{Kind: sqltext.DML, Verb: "INSERT", Objects: []sqltext.Object{tbl("", "t")}}},
	// DDL: what is created, changed or dropped.
	{Stmt: "CREATE TABLE t (a int)", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "CREATE TABLE IF NOT EXISTS `d`.`t` LIKE u", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TABLE", Objects: []sqltext.Object{tbl("d", "t")}}},
	{Stmt: "CREATE OR REPLACE TABLE t AS SELECT 1", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "CREATE TEMPORARY TABLE t (a int)", Want: sqltext.Class{Kind: sqltext.Session, Verb: "CREATE TEMPORARY TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "CREATE UNIQUE INDEX ix USING BTREE ON d.t (a, b)", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE UNIQUE INDEX", Objects: []sqltext.Object{obj("index", "d", "ix", "t")}}},
	{Stmt: "CREATE INDEX `ix` ON `t` (`a`(10))", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE INDEX", Objects: []sqltext.Object{obj("index", "", "ix", "t")}}},
	{Stmt: "CREATE ALGORITHM=MERGE DEFINER=`root`@`%` SQL SECURITY INVOKER VIEW v AS SELECT 1", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE VIEW", Objects: []sqltext.Object{obj("view", "", "v", "")}}},
	{Stmt: "CREATE DEFINER='root'@'localhost' TRIGGER d.trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TRIGGER", Objects: []sqltext.Object{obj("trigger", "d", "trg", "t")}}},
	{Stmt: "CREATE PROCEDURE p() BEGIN SELECT 1; END", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE PROCEDURE", Objects: []sqltext.Object{obj("procedure", "", "p", "")}}},
	{Stmt: "CREATE DEFINER = CURRENT_USER() FUNCTION f() RETURNS int RETURN 1", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE FUNCTION", Objects: []sqltext.Object{obj("function", "", "f", "")}}},
	{Stmt: "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE EVENT", Objects: []sqltext.Object{obj("event", "", "e", "")}}},
	{Stmt: "CREATE DATABASE IF NOT EXISTS app", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE DATABASE", Objects: []sqltext.Object{obj("database", "", "app", "")}}},
	{Stmt: "ALTER TABLE t ADD COLUMN a int, DROP INDEX b", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "ALTER TABLE d.t RENAME TO u", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("d", "t"), tbl("", "u")}}},
	{Stmt: "ALTER ONLINE IGNORE TABLE t RENAME COLUMN a TO b, RENAME AS e.u", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t"), tbl("e", "u")}}},
	{Stmt: "ALTER TABLE t RENAME INDEX a TO b", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	// Rows move and SHOW CREATE stays: the catalog cannot show the effect.
	{Stmt: "ALTER TABLE t EXCHANGE PARTITION p0 WITH TABLE t9", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "ALTER TABLE t TRUNCATE PARTITION p0", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "ALTER TABLE t DISCARD TABLESPACE", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "ALTER DEFINER=root@localhost VIEW v AS SELECT 2", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER VIEW", Objects: []sqltext.Object{obj("view", "", "v", "")}}},
	{Stmt: "ALTER DATABASE CHARACTER SET utf8mb4", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER DATABASE", Objects: []sqltext.Object{obj("database", "", "", "")}}},
	{Stmt: "ALTER EVENT e RENAME TO f", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER EVENT", Objects: []sqltext.Object{obj("event", "", "e", ""), obj("event", "", "f", "")}}},
	{Stmt: "DROP TABLE IF EXISTS a, `d`.`b` CASCADE", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP TABLE", Objects: []sqltext.Object{tbl("", "a"), tbl("d", "b")}}},
	{Stmt: "DROP TEMPORARY TABLE t", Want: sqltext.Class{Kind: sqltext.Session, Verb: "DROP TEMPORARY TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "DROP INDEX `PRIMARY` ON t", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP INDEX", Objects: []sqltext.Object{obj("index", "", "PRIMARY", "t")}}},
	{Stmt: "DROP VIEW v1, v2", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP VIEW", Objects: []sqltext.Object{obj("view", "", "v1", ""), obj("view", "", "v2", "")}}},
	{Stmt: "DROP TRIGGER IF EXISTS d.trg", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP TRIGGER", Objects: []sqltext.Object{obj("trigger", "d", "trg", "")}}},
	{Stmt: "DROP PROCEDURE p", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "DROP PROCEDURE", Objects: []sqltext.Object{obj("procedure", "", "p", "")}}},
	{Stmt: "RENAME TABLE a TO b, d.c TO d.e", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "RENAME TABLE", Objects: []sqltext.Object{tbl("", "a"), tbl("", "b"), tbl("d", "c"), tbl("d", "e")}}},
	{Stmt: "/*!40000 ALTER TABLE `film` DISABLE KEYS */", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "ALTER TABLE", Objects: []sqltext.Object{tbl("", "film")}}},
	{Stmt: "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `ins` AFTER INSERT ON `film` FOR EACH ROW SET @a = 1 */", Want: sqltext.Class{Kind: sqltext.DDL, Verb: "CREATE TRIGGER", Objects: []sqltext.Object{obj("trigger", "", "ins", "film")}}},
	// Session.
	{Stmt: "SET NAMES utf8mb4", Want: sqltext.Class{Kind: sqltext.Session, Verb: "SET"}},
	{Stmt: "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */", Want: sqltext.Class{Kind: sqltext.Session, Verb: "SET"}},
	{Stmt: "/*M!100100 SET SESSION foreign_key_checks = 0 */", Want: sqltext.Class{Kind: sqltext.Session, Verb: "SET"}},
	{Stmt: "SET @global = 1, @@session.sql_mode = ''", Want: sqltext.Class{Kind: sqltext.Session, Verb: "SET"}},
	{Stmt: "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", Want: sqltext.Class{Kind: sqltext.Session, Verb: "SET"}},
	{Stmt: "USE `app`", Want: sqltext.Class{Kind: sqltext.Session, Verb: "USE", Objects: []sqltext.Object{obj("database", "", "app", "")}}},
	{Stmt: "SET STATEMENT max_statement_time = 60 FOR DELETE FROM t", Want: sqltext.Class{Kind: sqltext.DML, Verb: "DELETE", Objects: []sqltext.Object{tbl("", "t")}}},
	// Opaque.
	{Stmt: "SET GLOBAL max_connections = 10", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "SET"}},
	{Stmt: "SET sql_mode = '', @@global.read_only = 1", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "SET"}},
	{Stmt: "SET PASSWORD FOR u = 'x'", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "SET"}},
	{Stmt: "TRUNCATE TABLE t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "TRUNCATE TABLE", Objects: []sqltext.Object{tbl("", "t")}}},
	{Stmt: "TRUNCATE d.t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "TRUNCATE", Objects: []sqltext.Object{tbl("d", "t")}}},
	{Stmt: "OPTIMIZE TABLE t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "OPTIMIZE"}},
	{Stmt: "ANALYZE NO_WRITE_TO_BINLOG TABLE t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "ANALYZE"}},
	{Stmt: "GRANT SELECT ON app.* TO 'u'@'%'", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "GRANT"}},
	{Stmt: "CALL p(1)", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "CALL"}},
	{Stmt: "LOAD DATA INFILE 'x' INTO TABLE t", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "LOAD DATA"}},
	{Stmt: "FLUSH TABLES", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "FLUSH"}},
	{Stmt: "LOCK TABLES t WRITE", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "LOCK TABLES"}},
	{Stmt: "UNLOCK TABLES", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "UNLOCK TABLES"}},
	{Stmt: "START TRANSACTION", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "START TRANSACTION"}},
	{Stmt: "COMMIT", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "COMMIT"}},
	{Stmt: "CREATE USER u IDENTIFIED BY 'x'", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "CREATE USER"}},
	{Stmt: "DROP USER u", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "DROP USER"}},
	{Stmt: "RENAME USER a TO b", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "RENAME USER"}},
	{Stmt: "SELECT * FROM t INTO OUTFILE '/tmp/x'", Want: sqltext.Class{Kind: sqltext.Opaque, Verb: "SELECT"}},
	// Read.
	{Stmt: "SELECT * FROM t FOR UPDATE", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "(SELECT 1) UNION (SELECT 2)", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT * FROM c", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "SHOW CREATE TABLE t", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SHOW"}},
	{Stmt: "EXPLAIN SELECT 1", Want: sqltext.Class{Kind: sqltext.Read, Verb: "EXPLAIN"}},
	{Stmt: "ANALYZE SELECT 1", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	{Stmt: "-- a note\n/* and another */ SELECT 1;", Want: sqltext.Class{Kind: sqltext.Read, Verb: "SELECT"}},
	// Unknown.
	{Stmt: "FROBNICATE t", Want: sqltext.Class{Verb: "FROBNICATE"}},
	{Stmt: "", Want: sqltext.Class{}},
}

func TestClassifyText(t *testing.T) { sqltexttest.CheckClasses(t, mysql.ClassifyText, classTests) }

// TestClassify: DML is transactional when every table it writes is InnoDB,
// as the server's catalog says; a MyISAM or Aria table, a table that does
// not exist, or a view is not.
func TestClassify(t *testing.T) {
	s := newServer(t)
	s.exec(t,
		"CREATE TABLE inno (id int PRIMARY KEY) ENGINE=InnoDB",
		"CREATE TABLE inno2 (id int PRIMARY KEY) ENGINE=InnoDB",
		"CREATE TABLE my (id int PRIMARY KEY) ENGINE=MyISAM",
		"CREATE TABLE aria (id int PRIMARY KEY) ENGINE=Aria TRANSACTIONAL=1",
		"CREATE VIEW v AS SELECT id FROM inno",
	)
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tests := []struct {
		stmt string
		kind sqltext.ClassKind
		tx   bool
	}{
		{"INSERT INTO inno VALUES (1)", sqltext.DML, true},
		{"INSERT INTO `" + s.name + "`.inno VALUES (1)", sqltext.DML, true},
		{"UPDATE inno JOIN inno2 USING (id) SET inno.id = 2, inno2.id = 3", sqltext.DML, true},
		{"INSERT INTO inno SELECT id FROM my", sqltext.DML, true},
		{"INSERT INTO my VALUES (1)", sqltext.DML, false},
		{"DELETE inno, my FROM inno JOIN my USING (id)", sqltext.DML, false},
		{"INSERT INTO aria VALUES (1)", sqltext.DML, false},
		{"INSERT INTO missing VALUES (1)", sqltext.DML, false},
		{"INSERT INTO other_db.inno VALUES (1)", sqltext.DML, false},
		{"UPDATE v SET id = 2", sqltext.DML, false},
		{"ALTER TABLE inno ADD COLUMN a int", sqltext.DDL, false},
		{"SELECT * FROM inno", sqltext.Read, false},
	}
	for _, tt := range tests {
		got, err := s.d.Classify(ctx, conn, tt.stmt)
		if err != nil {
			t.Fatalf("Classify(%q): %v", tt.stmt, err)
		}
		if got.Kind != tt.kind || got.Transactional != tt.tx {
			t.Errorf("Classify(%q) = %s, transactional %v; want %s, %v", tt.stmt, got.Kind, got.Transactional, tt.kind, tt.tx)
		}
	}
}

func TestParseAlter(t *testing.T) {
	tests := []struct {
		stmt string
		want mysql.Alter
		ok   bool
	}{
		{"ALTER TABLE t ADD COLUMN a int", mysql.Alter{Table: "t", Clauses: []string{"ADD COLUMN a int"}}, true},
		{"alter table `db`.`my t` add column `a,b` decimal(10,2) NOT NULL DEFAULT '1,2', drop index `x`;",
			mysql.Alter{Schema: "db", Table: "my t", Clauses: []string{"add column `a,b` decimal(10,2) NOT NULL DEFAULT '1,2'", "drop index `x`"}}, true},
		{"ALTER TABLE t\n  ADD CONSTRAINT c CHECK (a IN (1, 2)), -- why, not what\n  ADD INDEX i (a, b) COMMENT 'x, y',\n  ALGORITHM=INPLACE, LOCK=NONE",
			mysql.Alter{Table: "t", Clauses: []string{"ADD CONSTRAINT c CHECK (a IN (1, 2))", "ADD INDEX i (a, b) COMMENT 'x, y'", "ALGORITHM=INPLACE", "LOCK=NONE"}}, true},
		{"ALTER TABLE t MODIFY c varchar(10) DEFAULT \"a\\\", b\" /* , */, ENGINE=InnoDB ROW_FORMAT=DYNAMIC",
			mysql.Alter{Table: "t", Clauses: []string{"MODIFY c varchar(10) DEFAULT \"a\\\", b\"", "ENGINE=InnoDB ROW_FORMAT=DYNAMIC"}}, true},
		{"ALTER ONLINE TABLE IF EXISTS d.t WAIT 5 DROP COLUMN a", mysql.Alter{Schema: "d", Table: "t", Clauses: []string{"DROP COLUMN a"}}, true},
		{"/*!40000 ALTER TABLE `t` DISABLE KEYS */", mysql.Alter{Table: "t", Clauses: []string{"DISABLE KEYS"}}, true},
		{"ALTER TABLE t", mysql.Alter{}, false},
		{"ALTER TABLE t ADD a int,, DROP b", mysql.Alter{}, false},
		{"ALTER IGNORE TABLE t ADD UNIQUE (a)", mysql.Alter{}, false},
		{"ALTER VIEW v AS SELECT 1", mysql.Alter{}, false},
		{"ALTER TABLE t ADD a int; DROP TABLE u", mysql.Alter{}, false},
		{"CREATE TABLE t (a int)", mysql.Alter{}, false},
	}
	for _, tt := range tests {
		got, ok := mysql.ParseAlter(tt.stmt)
		if ok != tt.ok {
			t.Errorf("ParseAlter(%q) ok = %v, want %v", tt.stmt, ok, tt.ok)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseAlter(%q) (-want +got):\n%s", tt.stmt, diff)
		}
	}
}
