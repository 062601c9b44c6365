package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// onlineKillRows is enough rows for the tool's copy to last a few
// seconds here, so that the kill lands inside it.
const onlineKillRows = 300000

// TestOnlineKilledDuringCopyMariaDB: schemactl apply is SIGKILLed while
// pt-online-schema-change copies the table. The tool dies with it (it
// must not go on to swap the tables behind the next run's back), and
// leaves its triggers and its copy; the next apply removes them, says so,
// decides that the statement did not take effect, runs it again, and
// ends exactly where an uninterrupted run does: the new type, every row
// (those written meanwhile too), the original key names, no leftovers.
func TestOnlineKilledDuringCopyMariaDB(t *testing.T) {
	needOnlineTool(t)
	m := newMariaTarget(t)
	dir := onlineDir(t)
	url := m.url.String()
	schemactl(t, 0, "apply", "--url", url, "--dir", dir, "--to", "0001")
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"INSERT INTO p VALUES (1)",
		fmt.Sprintf("INSERT INTO t (a, p, pad) SELECT seq, IF(seq %% 2 = 0, 1, NULL), REPEAT('x', 100) FROM seq_1_to_%d", onlineKillRows),
		"INSERT INTO c SELECT seq, seq FROM seq_1_to_100",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	cmd, out := startFree(t, []string{"apply", "--url", url, "--dir", dir})
	waitCopying(t, db, out)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitToolGone(t, m.name)
	if n := count(t, db, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"); n == 0 {
		t.Fatalf("the kill left no triggers: it came too late for this test\n%s", out.String())
	}
	// Writes go on while nobody runs the migration.
	if _, err := db.Exec("INSERT INTO t (a, p) VALUES (-1, 1)"); err != nil {
		t.Fatal(err)
	}

	st := schemactl(t, 3, "status", "--url", url, "--dir", dir, "--exit-code")
	if !strings.Contains(st, "in doubt") {
		t.Errorf("status after the kill does not say the statement is in doubt:\n%s", st)
	}
	got := schemactlOut(t, 0, "apply", "--url", url, "--dir", dir)
	t.Logf("the resumed apply:\n%s", got)
	for _, want := range []string{
		"Cleaning up after an interrupted pt-online-schema-change of 0002: removed trigger",
		"Cleaning up after an interrupted pt-online-schema-change of 0002: removed the tool's unfinished copy `_t_new`",
		"it did not take effect (the tables are as they were before it); running it again",
		"runs online through pt-online-schema-change",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the resumed apply does not say %q:\n%s", want, got)
		}
	}
	var typ string
	if err := db.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'a'").Scan(&typ); err != nil {
		t.Fatal(err)
	}
	if typ != "bigint(20)" {
		t.Errorf("a is %s, want bigint(20)", typ)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM t"); n != onlineKillRows+1 {
		t.Errorf("t has %d rows, want %d", n, onlineKillRows+1)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"); n != 0 {
		t.Errorf("%d triggers left", n)
	}
	names := strings.Join(queryLines(t, db, "SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'FOREIGN KEY' ORDER BY 1"), " ")
	if names != "c.fk_t t.fk_p" {
		t.Errorf("foreign keys %q, want the original names", names)
	}
	tables := strings.Join(queryLines(t, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_%' ORDER BY 1"), " ")
	if tables != "" {
		t.Errorf("the tool's tables are left: %s", tables)
	}
	schemactl(t, 0, "status", "--url", url, "--dir", dir, "--exit-code")
}

// waitCopying waits until the tool's triggers exist and its copy holds
// rows: the kill then lands inside the copy.
func waitCopying(t *testing.T, db *sql.DB, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		trig := count(t, db, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'")
		if trig == 3 && count(t, db, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_t_new' AND TABLE_ROWS > 0") > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the tool's copy never started; the child printed:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitToolGone waits for the tool of the killed run to die with it.
func waitToolGone(t *testing.T, database string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _ := exec.Command("pgrep", "-f", "D="+database+",").Output()
		if len(strings.TrimSpace(string(out))) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pt-online-schema-change outlived the killed schemactl (pids %s)", strings.TrimSpace(string(out)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// schemactlOut is schemactl with what it printed on stderr too, after
// stdout.
func schemactlOut(t *testing.T, want int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != want {
		t.Fatalf("schemactl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

// needOnlineTool skips the test, loudly, when pt-online-schema-change is
// not installed, and fails it under CI=true, where .ci/run installs it.
func needOnlineTool(t *testing.T) {
	t.Helper()
	testdb.Tool(t, mysql.DefaultOnlineTool, "apt-get install percona-toolkit")
}

// onlineDir writes the migrations of the online proofs, hashed: 0001
// makes a parent p, a table t with an AUTO_INCREMENT key, an index and a
// foreign key to p, and a child c whose foreign key refers to t; 0002
// widens a column of t online, a change the server does by copying.
func onlineDir(t *testing.T) string {
	t.Helper()
	return writeMigrations(t, map[string]string{
		"0001_tables.sql": `-- schemactl 0001 "tables"
-- dialect: mysql
-- revises: base
-- +up
CREATE TABLE p (id int NOT NULL PRIMARY KEY);
CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, a int NULL, p int NULL, pad varchar(100) NOT NULL DEFAULT '', KEY k_a (a), CONSTRAINT fk_p FOREIGN KEY (p) REFERENCES p (id));
CREATE TABLE c (id int NOT NULL PRIMARY KEY, t int NULL, CONSTRAINT fk_t FOREIGN KEY (t) REFERENCES t (id));
-- +down
DROP TABLE c;
DROP TABLE t;
DROP TABLE p;
`,
		"0002_widen.sql": `-- schemactl 0002 "widen a"
-- dialect: mysql
-- revises: 0001
-- schemactl:online
-- +up
ALTER TABLE t MODIFY a bigint NULL;
-- +down
ALTER TABLE t MODIFY a int NULL;
`,
	})
}

// writeMigrations writes files into a new migration directory and
// hashes it.
func writeMigrations(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	schemactl(t, 0, "hash", "--dir", dir)
	return dir
}
