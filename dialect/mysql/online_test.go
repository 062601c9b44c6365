package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// needTool skips without pt-online-schema-change, loudly, and fails under
// CI, whose set-up installs it.
func needTool(t *testing.T) {
	t.Helper()
	testdb.Tool(t, mysql.DefaultOnlineTool, "apt-get install percona-toolkit")
}

// onlineSchema is a parent p, a table t with a foreign key to p and an
// index, and a child c whose foreign key refers to t: the names the tool
// changes on both ends.
const onlineSchema = `CREATE TABLE p (id int NOT NULL PRIMARY KEY);
CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, a int NULL, p int NULL, KEY k_a (a), CONSTRAINT fk_p FOREIGN KEY (p) REFERENCES p (id));
CREATE TABLE c (id int NOT NULL PRIMARY KEY, t int NULL, CONSTRAINT fk_t FOREIGN KEY (t) REFERENCES t (id));
INSERT INTO p VALUES (1);
INSERT INTO t (a, p) VALUES (1, 1), (2, 1), (NULL, NULL);
INSERT INTO c VALUES (1, 1)`

func newOnline(t *testing.T) (*server, *mysql.OnlineTool, *sql.Conn) {
	t.Helper()
	needTool(t)
	s := newServer(t)
	s.script(t, onlineSchema)
	tool, err := mysql.NewOnlineTool(s.u.String(), s.d)
	if err != nil {
		t.Fatal(err)
	}
	return s, tool, s.conns(t, 1)[0]
}

func TestOnlineCheck(t *testing.T) {
	s, tool, conn := newOnline(t)
	s.exec(t, "CREATE TABLE nokey (a int)")
	s.exec(t, "CREATE TABLE trig (id int PRIMARY KEY, a int)")
	s.exec(t, "CREATE TRIGGER trig_audit BEFORE INSERT ON trig FOR EACH ROW SET NEW.a = 1")
	s.exec(t, "CREATE TRIGGER pt_osc_x_trig_ins AFTER INSERT ON t FOR EACH ROW SET @x = 1") // a killed run's, not the table's own
	tests := []struct {
		stmt   string
		online bool
		why    string // in the reason it runs as written
		err    string // in the refusal
	}{
		{stmt: "ALTER TABLE t MODIFY a bigint NULL", online: true},
		{stmt: "ALTER TABLE t ADD COLUMN b int NULL", why: "INSTANT"},
		{stmt: "ALTER TABLE t MODIFY a bigint NULL, ALGORITHM=COPY", why: "ALGORITHM"},
		{stmt: "ALTER TABLE missing MODIFY a bigint", why: "does not exist"},
		{stmt: "CREATE TABLE n (id int PRIMARY KEY)"},
		{stmt: "UPDATE t SET a = 1"},
		{stmt: "ALTER IGNORE TABLE t MODIFY a bigint", err: "ALTER IGNORE"},
		{stmt: "ALTER TABLE t RENAME TO t2", err: "renames the table"},
		{stmt: "ALTER TABLE nokey MODIFY a bigint", err: "no primary or unique key"},
		{stmt: "ALTER TABLE trig MODIFY a bigint", err: "triggers of its own (`trig_audit`)"},
		{stmt: "ALTER TABLE t ADD UNIQUE KEY u_a (a)", err: "unique or primary key"},
		{stmt: "ALTER TABLE t MODIFY a bigint NULL, ADD CONSTRAINT u UNIQUE (a)", err: "unique or primary key"},
		{stmt: "ALTER TABLE t ADD COLUMN u int NOT NULL DEFAULT 0 UNIQUE", err: "unique or primary key"},
		{stmt: "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)", err: "unique or primary key"},
		{stmt: "ALTER TABLE t ADD COLUMN `unique` int NULL", why: "INSTANT"},               // a quoted name is not the word
		{stmt: "ALTER TABLE t ALGORITHM=INPLACE, ADD UNIQUE KEY u2 (a)", why: "ALGORITHM"}, // as written, wherever the clause stands
		{stmt: "ALTER TABLE t ADD UNIQUE KEY u3 (a), LOCK=NONE", why: "ALGORITHM"},
		{stmt: "ALTER TABLE other.t MODIFY a bigint", err: "own database"},
	}
	for _, tt := range tests {
		t.Run(tt.stmt, func(t *testing.T) {
			online, why, err := tool.OnlineCheck(context.Background(), conn, tt.stmt, true)
			switch {
			case tt.err != "":
				var oe *mysql.OnlineError
				if !errors.As(err, &oe) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want an *OnlineError with %q", err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			case online != tt.online || !strings.Contains(why, tt.why):
				t.Fatalf("online %v (%q), want %v (%q)", online, why, tt.online, tt.why)
			}
		})
	}
}

// twin makes what the plain statement makes, in a database of its own,
// for comparison.
func twin(t *testing.T, stmt string) map[string]string {
	t.Helper()
	s := newServer(t)
	s.script(t, onlineSchema)
	s.exec(t, stmt)
	return s.showCreate(t)
}

func tables(t *testing.T, s *server) string {
	t.Helper()
	rows, err := s.db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return strings.Join(out, " ")
}

func triggers(t *testing.T, s *server) int {
	return s.count(t, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")
}

func TestAlterOnline(t *testing.T) {
	s, tool, conn := newOnline(t)
	const stmt = "ALTER TABLE t MODIFY a bigint NULL"
	var progress []string
	if err := tool.AlterOnline(context.Background(), conn, stmt, func(l string) { progress = append(progress, l) }); err != nil {
		t.Fatal(err)
	}
	got, want := s.showCreate(t), twin(t, stmt)
	for name, text := range want {
		if got[name] != text {
			t.Errorf("%s after the online change:\n%s\nwant, as the plain statement makes it:\n%s", name, got[name], text)
		}
	}
	if got, want := tables(t, s), "c p t"; got != want {
		t.Errorf("tables %q, want %q: the tool's copies are gone", got, want)
	}
	if n := triggers(t, s); n != 0 {
		t.Errorf("%d triggers left", n)
	}
	if n := s.count(t, "SELECT COUNT(*) FROM t"); n != 3 {
		t.Errorf("t has %d rows, want 3", n)
	}
}

// TestAlterOnlineRowsFail: without the preflight (--no-preflight), a
// change that some rows fail reaches the tool, whose INSERT IGNORE copy
// turns the failure into a warning; the tool stops on it, and the table
// is as it was: a definite failure.
func TestAlterOnlineRowsFail(t *testing.T) {
	s, tool, conn := newOnline(t)
	before := s.showCreate(t)
	err := tool.AlterOnline(context.Background(), conn, "ALTER TABLE t MODIFY a int NOT NULL", nil)
	var oe *mysql.OnlineError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "cannot be null") {
		t.Fatalf("err = %v, want an *OnlineError with the tool's reason", err)
	}
	if !s.d.Definite(err) {
		t.Error("the failure is not definite: a resume would think it in doubt")
	}
	if got := s.showCreate(t); got["t"] != before["t"] || tables(t, s) != "c p t" || triggers(t, s) != 0 {
		t.Fatalf("the tables changed: %s\n%s", tables(t, s), got["t"])
	}
}

// TestResolveOnlineClipped: a copy that changed rows where the plain
// statement fails (a tool that let it through) is caught by the check of
// the table as it was, which is kept.
func TestResolveOnlineClipped(t *testing.T) {
	s, tool, conn := newOnline(t)
	const stmt = "ALTER TABLE t MODIFY a int NOT NULL"
	ctx := context.Background()
	pre, err := tool.OnlineImage(ctx, conn, stmt)
	if err != nil {
		t.Fatal(err)
	}
	// The state a clipping copy and a swap leave.
	s.exec(t, "CREATE TABLE _t_old LIKE t", "INSERT INTO _t_old SELECT * FROM t",
		"UPDATE t SET a = 0 WHERE a IS NULL", stmt)
	res, err := tool.ResolveOnline(ctx, conn, stmt, pre)
	if err != nil {
		t.Fatal(err)
	}
	if res.Known || !strings.Contains(res.Why, "dropped or changed rows") || !strings.Contains(res.Why, "NULL in `a`") {
		t.Fatalf("resolution %+v, want a refusal naming the rows", res)
	}
	if !strings.Contains(tables(t, s), "_t_old") {
		t.Fatal("the table as it was is gone")
	}
}

// TestResolveOnlineAfterSwap: a run that died after the tool swapped the
// tables, before schemactl put the names back and checked the copy.
func TestResolveOnlineAfterSwap(t *testing.T) {
	s, tool, conn := newOnline(t)
	const stmt = "ALTER TABLE t MODIFY a bigint NULL"
	ctx := context.Background()
	pre, err := tool.OnlineImage(ctx, conn, stmt)
	if err != nil {
		t.Fatal(err)
	}
	// What the dead run's tool did, by itself.
	cnf := fmt.Sprintf("D=%s,t=t,h=%s,P=%s,u=root", s.name, s.u.Hostname(), s.u.Port())
	out, err := exec.Command(mysql.DefaultOnlineTool, "--alter", "MODIFY a bigint NULL", "--execute", "--no-drop-old-table",
		"--alter-foreign-keys-method", "rebuild_constraints", cnf).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if show := s.showCreate(t)["t"]; !strings.Contains(show, "`_fk_p`") {
		t.Fatalf("the tool did not rename the foreign key, which this test is about:\n%s", show)
	}
	res, err := tool.ResolveOnline(ctx, conn, stmt, pre)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Known || !res.TookEffect {
		t.Fatalf("resolution %+v, want known and took effect", res)
	}
	if !strings.Contains(strings.Join(res.Cleaned, "\n"), "`_t_old`") {
		t.Errorf("cleaned %q, want the table as it was checked and dropped", res.Cleaned)
	}
	got, want := s.showCreate(t), twin(t, stmt)
	for name, text := range want {
		if got[name] != text {
			t.Errorf("%s after resolving:\n%s\nwant:\n%s", name, got[name], text)
		}
	}
	// A statement that did not run: the tables are as they were.
	const next = "ALTER TABLE t MODIFY a int NULL"
	if pre, err = tool.OnlineImage(ctx, conn, next); err != nil {
		t.Fatal(err)
	}
	res, err = tool.ResolveOnline(ctx, conn, next, pre)
	if err != nil || !res.Known || res.TookEffect {
		t.Fatalf("a statement that did not run: %+v, %v", res, err)
	}
}

// TestResolveOnlineLeftovers: a tool killed during the copy leaves its
// triggers and copy, which resolving removes before deciding.
func TestResolveOnlineLeftovers(t *testing.T) {
	s, tool, conn := newOnline(t)
	const stmt = "ALTER TABLE t MODIFY a bigint NULL"
	ctx := context.Background()
	pre, err := tool.OnlineImage(ctx, conn, stmt)
	if err != nil {
		t.Fatal(err)
	}
	s.exec(t, "CREATE TABLE _t_new LIKE t",
		"CREATE TRIGGER pt_osc_x_t_ins AFTER INSERT ON t FOR EACH ROW REPLACE INTO _t_new (id, a, p) VALUES (NEW.id, NEW.a, NEW.p)")
	res, err := tool.ResolveOnline(ctx, conn, stmt, pre)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Known || res.TookEffect || len(res.Cleaned) != 2 {
		t.Fatalf("resolution %+v, want known, not taken effect, 2 things removed", res)
	}
	if got := tables(t, s); got != "c p t" || triggers(t, s) != 0 {
		t.Fatalf("left: tables %s, %d triggers", got, triggers(t, s))
	}
}
