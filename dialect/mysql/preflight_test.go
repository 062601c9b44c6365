package mysql_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/planner"
)

// TestPreflight checks each data condition against real rows, and that the
// preflight agrees with the server: a migration it finds an error in fails
// when run, one it passes (warnings aside) runs.
func TestPreflight(t *testing.T) {
	const parent = "CREATE TABLE p (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB;\n" +
		"CREATE TABLE c (id int PRIMARY KEY, a int, b int) ENGINE=InnoDB;\n" +
		"INSERT INTO p VALUES (1, 1), (2, 2)"
	tests := []struct {
		name  string
		setup string
		stmts []string
		want  []string // "statement N: problem | sample"; "warning N: …"
	}{
		{
			name:  "orphans, NULL key parts skipped",
			setup: parent + ";\nINSERT INTO c VALUES (1, 1, 1), (2, 1, NULL), (3, NULL, 9), (4, 3, 3), (5, 2, 1)",
			stmts: []string{"ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (a, b)"},
			want:  []string{`statement 1: 2 rows of ` + "`c`" + ` without a parent in ` + "`p`" + ` for (` + "`a`, `b`" + `) | id="4", a="3", b="3"`},
		},
		{
			name:  "no orphans",
			setup: parent + ";\nINSERT INTO c VALUES (1, 1, 1), (2, 1, NULL), (3, NULL, 9)",
			stmts: []string{"ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (a, b)"},
		},
		{
			name:  "parent the migration creates is empty",
			setup: "CREATE TABLE teams (id int PRIMARY KEY, events_id int) ENGINE=InnoDB;\nINSERT INTO teams VALUES (1, 7), (2, NULL)",
			stmts: []string{
				"CREATE TABLE events (id int PRIMARY KEY) ENGINE=InnoDB",
				"ALTER TABLE teams ADD CONSTRAINT teams_events FOREIGN KEY (events_id) REFERENCES events (id)",
			},
			want: []string{"statement 2: 1 row of `teams` without a parent in `events` for (`events_id`) | id=\"1\", events_id=\"7\""},
		},
		{
			name:  "child the migration creates is empty",
			setup: parent,
			stmts: []string{
				"CREATE TABLE d (id int PRIMARY KEY, a int, b int)",
				"ALTER TABLE d ADD UNIQUE (a), ADD FOREIGN KEY (a, b) REFERENCES p (a, b)",
			},
		},
		{
			name:  "duplicates under a case-insensitive collation",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_general_ci, x varchar(10) COLLATE utf8mb4_bin);\nINSERT INTO u VALUES (1, 'Ab', 'Ab'), (2, 'aB', 'aB'), (3, NULL, NULL), (4, NULL, NULL)",
			stmts: []string{"ALTER TABLE u ADD UNIQUE KEY us (s)"},
			want:  []string{"statement 1: 2 rows of `u` whose value of (`s`) another row shares, which the new unique key `us` refuses | s=\"Ab\", rows=\"2\""},
		},
		{
			name:  "binary collation and NULLs are distinct",
			setup: "CREATE TABLE u (id int PRIMARY KEY, x varchar(10) COLLATE utf8mb4_bin);\nINSERT INTO u VALUES (1, 'Ab'), (2, 'aB'), (3, NULL), (4, NULL)",
			stmts: []string{"CREATE UNIQUE INDEX ux ON u (x)"},
		},
		{
			name:  "prefix duplicates",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(20));\nINSERT INTO u VALUES (1, 'abcdef'), (2, 'abcxyz'), (3, 'abd')",
			stmts: []string{"CREATE UNIQUE INDEX up ON u (s(3))"},
			want:  []string{"statement 1: 2 rows of `u` whose value of (`s`(3)) another row shares, which the new unique key `up` refuses | s=\"abc\", rows=\"2\""},
		},
		{
			name:  "primary key over NULLs",
			setup: "CREATE TABLE k (a int, b int);\nINSERT INTO k VALUES (1, NULL), (2, 2)",
			stmts: []string{"ALTER TABLE k ADD PRIMARY KEY (a, b)"},
			want:  []string{"statement 1: 1 row of `k` with NULL in a column of the new primary key (`a`, `b`) | a=\"1\", b=NULL"},
		},
		{
			name:  "NULLs for NOT NULL, with or without a default",
			setup: "CREATE TABLE n (id int PRIMARY KEY, a int, b int);\nINSERT INTO n VALUES (1, NULL, NULL), (2, 2, NULL)",
			stmts: []string{"ALTER TABLE n MODIFY a int NOT NULL DEFAULT 0, MODIFY b int NOT NULL"},
			want: []string{
				"statement 1: 1 row of `n` with NULL in `a`, which becomes NOT NULL | id=\"1\", a=NULL, b=NULL",
				"statement 1: 2 rows of `n` with NULL in `b`, which becomes NOT NULL | id=\"1\", a=NULL, b=NULL",
			},
		},
		{
			name:  "narrowing varchar refused in strict mode",
			setup: "CREATE TABLE v (id int PRIMARY KEY, s varchar(10));\nINSERT INTO v VALUES (1, 'hi'), (2, 'hello')",
			stmts: []string{"ALTER TABLE v CHANGE s t varchar(3)"},
			want:  []string{"statement 1: 1 row of `v` with a value of `s` that varchar(3) cannot hold | id=\"2\", s=\"hello\""},
		},
		{
			name:  "narrowing int",
			setup: "CREATE TABLE v (id int PRIMARY KEY, n bigint);\nINSERT INTO v VALUES (1, 5), (2, 300)",
			stmts: []string{"ALTER TABLE v MODIFY n tinyint unsigned"},
			want:  []string{"statement 1: 1 row of `v` with a value of `n` that tinyint cannot hold | id=\"2\", n=\"300\""},
		},
		{
			name:  "decimal scale rounds: a warning only",
			setup: "CREATE TABLE m (id int PRIMARY KEY, d decimal(6,3));\nINSERT INTO m VALUES (1, 1.234), (2, 2.5)",
			stmts: []string{"ALTER TABLE m MODIFY d decimal(6,2)"},
			want:  []string{"warning 1: 1 row of `m` with a value of `d` that decimal(6,2) rounds to 2 decimal places | id=\"1\", d=\"1.234\""},
		},
		{
			name:  "decimal integer digits refused",
			setup: "CREATE TABLE m (id int PRIMARY KEY, d decimal(6,2));\nINSERT INTO m VALUES (1, 1234.5), (2, 9.99)",
			stmts: []string{"ALTER TABLE m MODIFY d decimal(4,2)"},
			want:  []string{"statement 1: 1 row of `m` with a value of `d` that decimal(4,2) cannot hold | id=\"1\", d=\"1234.50\""},
		},
		{
			name:  "check false, NULL passes",
			setup: "CREATE TABLE ck (id int PRIMARY KEY, n int);\nINSERT INTO ck VALUES (1, 5), (2, -1), (3, NULL)",
			stmts: []string{"ALTER TABLE ck ADD CONSTRAINT pos CHECK (n > 0)"},
			want:  []string{"statement 1: 1 row of `ck` for which the new check `pos` (n > 0) is false | id=\"2\", n=\"-1\""},
		},
		{
			name:  "enum value removed",
			setup: "CREATE TABLE e (id int PRIMARY KEY, s enum('x','y','z'));\nINSERT INTO e VALUES (1, 'x'), (2, 'z'), (3, NULL)",
			stmts: []string{"ALTER TABLE e MODIFY s enum('x','y')"},
			want:  []string{"statement 1: 1 row of `e` with a value of `s` that enum('x','y') lacks | id=\"2\", s=\"z\""},
		},
		{
			name:  "statements after DML are not checked",
			setup: "CREATE TABLE b (id int PRIMARY KEY, s varchar(10));\nINSERT INTO b VALUES (1, 'a'), (2, 'a')",
			stmts: []string{"UPDATE b SET s = CONCAT(s, id)", "ALTER TABLE b ADD UNIQUE (s)"},
		},
		{
			name:  "a unique key over an added column with a default",
			setup: "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1), (2)",
			stmts: []string{"ALTER TABLE a ADD COLUMN code varchar(5) NOT NULL DEFAULT 'x', ADD UNIQUE KEY ac (code)"},
			want:  []string{"statement 1: 2 rows of `a` whose value of (`code`) another row shares, which the new unique key `ac` refuses | code=\"x\", rows=\"2\""},
		},
		{
			name:  "a primary key over an added column with the statement's time",
			setup: "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1), (2)",
			stmts: []string{"ALTER TABLE a ADD COLUMN at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ADD PRIMARY KEY (at)"},
			want:  []string{"statement 1: 2 rows of `a` whose value of (`at`) another row shares, which the new primary key refuses | at=SAMPLE, rows=\"2\""},
		},
		{
			name:  "a foreign key over an added column with the implicit default",
			setup: parent + ";\nCREATE TABLE d (id int PRIMARY KEY);\nINSERT INTO d VALUES (1)",
			stmts: []string{"ALTER TABLE d ADD COLUMN a int NOT NULL, ADD COLUMN b int NOT NULL, ADD FOREIGN KEY (a, b) REFERENCES p (a, b)"},
			want:  []string{"statement 1: 1 row of `d` without a parent in `p` for (`a`, `b`) | id=\"1\""},
		},
		{
			name:  "a column added UNIQUE with a default",
			setup: "CREATE TABLE a (id int PRIMARY KEY);\nINSERT INTO a VALUES (1), (2)",
			stmts: []string{"ALTER TABLE a ADD COLUMN code int NOT NULL DEFAULT 5 UNIQUE"},
			want:  []string{"statement 1: 2 rows of `a` whose value of (`code`) another row shares, which the new unique key refuses | code=\"5\", rows=\"2\""},
		},
		{
			name:  "after a SET sql_mode the statements are the server's to judge",
			setup: "CREATE TABLE n (id int PRIMARY KEY, a int, s varchar(10));\nINSERT INTO n VALUES (1, NULL, 'hello')",
			stmts: []string{"ALTER TABLE n MODIFY s varchar(3)", "SET SESSION sql_mode = ''", "ALTER TABLE n MODIFY a int NOT NULL"},
			want:  []string{"statement 1: 1 row of `n` with a value of `s` that varchar(3) cannot hold | id=\"1\", a=NULL, s=\"hello\""},
		},
		{
			name:  "a key added with foreign_key_checks off is not checked, as the server does not",
			setup: parent + ";\nINSERT INTO c VALUES (1, 3, 3)",
			stmts: []string{"SET foreign_key_checks = 0", "ALTER TABLE c ADD FOREIGN KEY (a, b) REFERENCES p (a, b)"},
		},
		{
			name:  "a collation change makes a unique key's values equal",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_bin, t int, UNIQUE KEY us (s(3), t));\nINSERT INTO u VALUES (1, 'Abc', 1), (2, 'aBCd', 1), (3, 'abc', 2)",
			stmts: []string{"ALTER TABLE u MODIFY s varchar(10) COLLATE utf8mb4_general_ci"},
			want:  []string{"statement 1: 2 rows of `u` whose value of (`s`(3), `t`) another row shares, which unique key `us` under the new collation of `s` refuses | s=\"Abc\", t=\"1\", rows=\"2\""},
		},
		{
			name:  "a character set alone gives its default collation",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_bin, UNIQUE KEY us (s));\nINSERT INTO u VALUES (1, 'Abc'), (2, 'aBC')",
			stmts: []string{"ALTER TABLE u MODIFY s varchar(10) CHARACTER SET utf8mb4"},
			want:  []string{"statement 1: 2 rows of `u` whose value of (`s`) another row shares, which unique key `us` under the new collation of `s` refuses | s=\"Abc\", rows=\"2\""},
		},
		{
			name:  "a key added in the statement that makes its column binary",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_general_ci);\nINSERT INTO u VALUES (1, 'Ab'), (2, 'aB')",
			stmts: []string{"ALTER TABLE u CHANGE s s2 varchar(10) COLLATE utf8mb4_bin, ADD UNIQUE KEY us (s2)"},
			// the server builds the key under the old collation
			want: []string{"statement 1: 2 rows of `u` whose value of (`s2`) another row shares, which the new unique key `us` refuses | s2=\"Ab\", rows=\"2\""},
		},
		{
			name:  "a key added over a column an earlier statement made binary",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_general_ci);\nINSERT INTO u VALUES (1, 'Ab'), (2, 'aB')",
			stmts: []string{"ALTER TABLE u CHANGE s s2 varchar(10) COLLATE utf8mb4_bin", "ALTER TABLE u ADD UNIQUE KEY us (s2)"},
		},
		{
			name:  "a key added over a column an earlier statement made case-insensitive",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_bin);\nINSERT INTO u VALUES (1, 'Ab'), (2, 'aB')",
			stmts: []string{"ALTER TABLE u MODIFY s varchar(10) COLLATE utf8mb4_general_ci", "ALTER TABLE u ADD UNIQUE KEY us (s)"},
			want:  []string{"statement 2: 2 rows of `u` whose value of (`s`) another row shares, which the new unique key `us` refuses | s=\"Ab\", rows=\"2\""},
		},
		{
			name:  "ALTER IGNORE deletes duplicates and changes values: warnings",
			setup: "CREATE TABLE ig (id int PRIMARY KEY, a varchar(5) COLLATE utf8mb4_general_ci, c int);\nINSERT INTO ig VALUES (1, 'Ab', NULL), (2, 'aB', 300), (3, 'x', 1)",
			stmts: []string{"ALTER IGNORE TABLE ig ADD UNIQUE KEY ua (a), MODIFY c tinyint NOT NULL"},
			want: []string{
				"warning 1: 1 row of `ig` with NULL in `c`, which becomes NOT NULL; ALTER IGNORE deletes or changes them instead of failing | id=\"1\", a=\"Ab\", c=NULL",
				"warning 1: 1 row of `ig` with a value of `c` that tinyint cannot hold; ALTER IGNORE deletes or changes them instead of failing | id=\"2\", a=\"aB\", c=\"300\"",
				"warning 1: 2 rows of `ig` whose value of (`a`) another row shares, which the new unique key `ua` refuses; ALTER IGNORE deletes or changes them instead of failing | a=\"Ab\", rows=\"2\"",
			},
		},
		{
			name:  "ALTER IGNORE still fails on orphans",
			setup: parent + ";\nINSERT INTO c VALUES (1, 3, 3)",
			stmts: []string{"ALTER IGNORE TABLE c ADD FOREIGN KEY (a, b) REFERENCES p (a, b)"},
			want:  []string{"statement 1: 1 row of `c` without a parent in `p` for (`a`, `b`) | id=\"1\", a=\"3\", b=\"3\""},
		},
		{
			name:  "a collation change with the key dropped",
			setup: "CREATE TABLE u (id int PRIMARY KEY, s varchar(10) COLLATE utf8mb4_bin, UNIQUE KEY us (s));\nINSERT INTO u VALUES (1, 'Abc'), (2, 'aBC')",
			stmts: []string{"ALTER TABLE u DROP INDEX us, MODIFY s varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"},
		},
		{
			name:  "a character set that cannot hold a value",
			setup: "CREATE TABLE cs (id int PRIMARY KEY, s varchar(10) CHARACTER SET utf8mb4);\nINSERT INTO cs VALUES (1, 'héllo'), (2, 'a😀'), (3, 'ok?'), (4, NULL)",
			stmts: []string{"ALTER TABLE cs MODIFY s varchar(10) CHARACTER SET latin1"},
			want:  []string{"statement 1: 1 row of `cs` with a value of `s` that character set latin1 cannot hold | id=\"2\", s=\"a😀\""},
		},
		{
			name:  "a renamed column is checked under its live name",
			setup: "CREATE TABLE r (id int PRIMARY KEY, s varchar(10));\nINSERT INTO r VALUES (1, 'a'), (2, 'a')",
			stmts: []string{"ALTER TABLE r RENAME COLUMN s TO t", "RENAME TABLE r TO r2", "CREATE UNIQUE INDEX rt ON r2 (t)"},
			want:  []string{"statement 3: 2 rows of `r` whose value of (`t`) another row shares, which the new unique key `rt` refuses | t=\"a\", rows=\"2\""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.script(t, tt.setup)
			ctx := context.Background()
			conn, err := s.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fs, err := s.d.Preflight(ctx, conn, tt.stmts, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			refused := false
			for _, f := range fs {
				kind := "statement"
				if f.Warning {
					kind = "warning"
				} else {
					refused = true
				}
				// A sample of the statement's time reads as the clock.
				sample := timeValue.ReplaceAllString(f.Sample, "SAMPLE")
				got = append(got, fmt.Sprintf("%s %d: %s | %s", kind, f.Statement+1, f.Problem, sample))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			var stmts []planner.Statement
			for _, st := range tt.stmts {
				stmts = append(stmts, planner.Statement{SQL: st})
			}
			if err := s.tryMigrate(stmts); (err != nil) != refused {
				t.Errorf("the server ran the statements with error %v; the preflight refused: %v", err, refused)
			}
		})
	}
}

var timeValue = regexp.MustCompile(`"\d{4}-\d\d-\d\d[T ][^"]*"`)

// TestPreflightTimeout: a check the server stops is a finding, not a pass.
func TestPreflightTimeout(t *testing.T) {
	s := newServer(t)
	s.script(t, "CREATE TABLE slow (id int PRIMARY KEY);\nINSERT INTO slow VALUES (1), (2), (3)")
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// SLEEP makes each row take a second; the check may take 100 ms.
	fs, err := s.d.Preflight(ctx, conn, []string{"ALTER TABLE slow ADD CHECK (SLEEP(1) = 0)"}, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Warning || fs[0].Count != -1 || !strings.Contains(fs[0].Problem, "did not finish within 100ms") {
		t.Fatalf("findings %+v, want one timeout", fs)
	}
}

// TestPreflightSQLMode: the checks read the migration's literals as the
// migration does, with backslash escapes, whatever the session's sql_mode;
// the session gets its sql_mode back.
func TestPreflightSQLMode(t *testing.T) {
	s := newServer(t)
	s.script(t, "CREATE TABLE e (id int PRIMARY KEY, s enum('a\\'b', 'c'));\nINSERT INTO e VALUES (1, 'a''b'), (2, 'c')")
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'"); err != nil {
		t.Fatal(err)
	}
	fs, err := s.d.Preflight(ctx, conn, []string{`ALTER TABLE e MODIFY s enum('a\'b')`}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Count != 1 || fs[0].Sample != `id="2", s="c"` {
		t.Errorf("findings %+v, want row 2 alone", fs)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil || mode != "NO_BACKSLASH_ESCAPES" {
		t.Errorf("sql_mode %q, %v after the preflight, want it back", mode, err)
	}
}

// TestPreflightCutShort: statements cut off anywhere, or not understood,
// give no finding and no error, and never a panic: the server reports
// them when they run.
func TestPreflightCutShort(t *testing.T) {
	s := newServer(t)
	s.script(t, "CREATE TABLE p (a int PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, a int, s varchar(9), d decimal(5,2), e enum('x','y'));\nINSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1, 'x', 1.5, 'x'), (2, NULL, 'y', 2.25, 'y')")
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stmts := []string{
		"ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY IF NOT EXISTS fk2 (a) REFERENCES p (a) ON DELETE CASCADE",
		"ALTER TABLE c ADD UNIQUE KEY IF NOT EXISTS u USING BTREE (s(3) DESC, a), ADD PRIMARY KEY (id)",
		"ALTER TABLE c CHANGE COLUMN IF EXISTS s t varchar(20) NOT NULL DEFAULT 'q' CHECK (t <> ''), MODIFY d decimal(5,1) UNSIGNED, MODIFY e enum('x')",
		"ALTER TABLE c ADD COLUMN k int NOT NULL DEFAULT (1 + 1), ADD CHECK (a > 0 AND (k < 5)), RENAME TO c2",
		"CREATE OR REPLACE UNIQUE INDEX IF NOT EXISTS ix USING HASH ON c (a)",
		"RENAME TABLE c TO c3, p TO p3",
		"DROP TABLE IF EXISTS c, p",
		"CREATE TABLE IF NOT EXISTS c (id int) SELECT 1 AS id",
	}
	for _, st := range stmts {
		toks, _ := mysql.Lex(st)
		for _, tok := range toks {
			cut := st[:tok.End()]
			if _, err := s.d.Preflight(ctx, conn, []string{cut}, time.Minute); err != nil {
				t.Errorf("%s: %v", cut, err)
			}
		}
	}
}
