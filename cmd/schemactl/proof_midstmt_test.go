package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemactl/schemactl/executor"
)

var (
	crashSweep = flag.Int("crash.sweep", 1, "trials per statement of TestCrashDuringStatementMariaDB; above 1, each kill waits a random part of the statement's run first")
	crashRows  = flag.Int("crash.rows", 100000, "rows of the table TestCrashDuringStatementMariaDB's statements work on")
)

// midMigrations are two hand-written migrations whose statements take long
// enough on crashRows rows to be killed while the server runs them:
// transactional DML and DDL, first and later statements, up and down.
var midMigrations = [][2][]string{
	{
		{"CREATE TABLE audit (id int NOT NULL PRIMARY KEY)", "UPDATE acct SET bal = bal + 10", "ALTER TABLE acct ADD KEY ix_note (note)", "ALTER TABLE acct ADD KEY ix_bal (bal)"},
		{"UPDATE acct SET bal = bal - 10", "ALTER TABLE acct DROP KEY ix_bal", "ALTER TABLE acct DROP KEY ix_note", "DROP TABLE audit"},
	},
	{
		{"UPDATE acct SET note = CONCAT('n', id % 97)", "ALTER TABLE acct ADD KEY ix_both (note, bal)", "ALTER TABLE acct DROP KEY ix_note"},
		{"ALTER TABLE acct ADD KEY ix_note (note)", "ALTER TABLE acct DROP KEY ix_both", "UPDATE acct SET note = 'x'"},
	},
}

// midTrial is one kill: during which statement, which way.
type midTrial struct {
	dir     executor.Direction
	version string
	index   int // 1-based
	stmt    string
}

// TestCrashDuringStatementMariaDB is issue 11's proof: schemactl apply (or
// downgrade) is SIGKILLed while the server runs one of its long statements,
// seen in information_schema.PROCESSLIST. The server finishes or rolls
// back the orphaned statement on its own; the next run must then end at
// the target with exactly the reference rows (every bal grew by exactly
// 10), status meanwhile saying the statement is in doubt. Every long
// statement of both migrations is hit, up and down. -crash.sweep=N repeats
// each N times, killing at a random point of the statement's run.
func TestCrashDuringStatementMariaDB(t *testing.T) {
	m := newMariaTarget(t)
	dir := writeMidMigrations(t, m)
	var trials []midTrial
	for i, mig := range midMigrations {
		for j, dir := range []executor.Direction{executor.Up, executor.Down} {
			for k, q := range mig[j] {
				if strings.HasPrefix(q, "UPDATE") || strings.Contains(q, "ADD KEY") {
					trials = append(trials, midTrial{dir: dir, version: fmt.Sprintf("%04d", i+1), index: k + 1, stmt: q})
				}
			}
		}
	}
	url := m.url.String()
	rng := rand.New(rand.NewPCG(11, uint64(*crashRows)))
	stats := map[string]int{}
	for _, tr := range trials {
		for n := range *crashSweep {
			name := fmt.Sprintf("%s %s stmt %d #%d", tr.dir, tr.version, tr.index, n+1)
			t.Run(name, func(t *testing.T) {
				seedAcct(t, m)
				if tr.dir == executor.Down {
					schemactl(t, 0, "apply", "--url", url, "--dir", dir)
				}
				args := []string{"apply", "--url", url, "--dir", dir}
				if tr.dir == executor.Down {
					args = []string{"downgrade", "--url", url, "--dir", dir, "base"}
				}
				var delay time.Duration
				if *crashSweep > 1 {
					delay = time.Duration(rng.Int64N(int64(300 * time.Millisecond)))
				}
				landed := killDuring(t, m, args, tr.stmt, delay)
				stats["kills"]++
				stats["landed "+landed]++

				status := schemactl(t, 0, "status", "--url", url, "--dir", dir)
				// A kill that came after the statement ended (a sweep's
				// delay) hit whatever ran next.
				if want := fmt.Sprintf("statement %d is in doubt", tr.index); landed == "during" && !strings.Contains(status, want) {
					t.Errorf("status does not say %q:\n%s", want, status)
				}
				out := schemactl(t, 0, args...)
				outcome := "no doubt decided"
				if mm := decided.FindStringSubmatch(out); mm != nil {
					outcome = mm[1]
				}
				stats[fmt.Sprintf("%s %s: %s", kindOf(tr.stmt), landed, outcome)]++
				t.Logf("killed %s, resume: %s", landed, outcome)
				checkReference(t, m, tr.dir == executor.Up)
			})
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-60s %d", k, stats[k])
	}
}

// writeMidMigrations writes midMigrations into a new directory.
func writeMidMigrations(t *testing.T, m *mariaTarget) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "migrations")
	d, err := executor.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = m.d
	for i, mig := range midMigrations {
		up, down := executor.Statements(mig[0]...), executor.Statements(mig[1]...)
		if _, err := d.Write(fmt.Sprintf("step %d", i+1), up, down); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var decided = regexp.MustCompile(`was running when an earlier run stopped: (it took effect|it did not take effect)`)

func kindOf(stmt string) string {
	if strings.HasPrefix(stmt, "UPDATE") {
		return "DML"
	}
	return "DDL"
}

// seedAcct empties the database and creates acct with crashRows rows,
// bal = id.
func seedAcct(t *testing.T, m *mariaTarget) {
	t.Helper()
	m.reset(t)
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE acct (id int NOT NULL PRIMARY KEY, bal int NOT NULL, note varchar(20) NOT NULL DEFAULT 'x') ENGINE=InnoDB",
		fmt.Sprintf("INSERT INTO acct (id, bal) SELECT seq, seq FROM seq_1_to_%d", *crashRows),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// killDuring runs the CLI with args in a child process and SIGKILLs it once
// stmt shows in the process list (after delay more, if it still runs
// then). It reports whether the statement was still running on the
// server right after the kill ("during") or had ended ("after").
func killDuring(t *testing.T, m *mariaTarget, args []string, stmt string, delay time.Duration) string {
	t.Helper()
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd, out := startFree(t, args)
	waitRunning(t, m, stmt, out)
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if isRunning(t, db, stmt) {
		return "during"
	}
	return "after"
}

// startFree starts the CLI with args in a child process that runs at its
// own pace and handles signals as main does; out collects what it prints.
func startFree(t *testing.T, args []string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProofChild$", "-test.count=1")
	list, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), childEnv+"=free", childArgsEnv+"="+string(list))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, out
}

// waitRunning waits until stmt shows in the server's process list.
func waitRunning(t *testing.T, m *mariaTarget, stmt string, out *syncBuffer) {
	t.Helper()
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for !isRunning(t, db, stmt) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never showed in the process list; the child printed:\n%s", stmt, out.String())
		}
		time.Sleep(time.Millisecond)
	}
}

func isRunning(t *testing.T, db *sql.DB, stmt string) bool {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO = ? AND DB = DATABASE()", stmt).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// syncBuffer is a bytes.Buffer that a child's output and the test may use
// at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// checkReference compares acct and the catalog with what an uninterrupted
// run leaves: at head (up) or at base (down).
func checkReference(t *testing.T, m *mariaTarget, head bool) {
	t.Helper()
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cond, keys, audit := "bal = id + 10 AND note = CONCAT('n', id % 97)", "ix_bal,ix_both,PRIMARY", 1
	if !head {
		cond, keys, audit = "bal = id AND note = 'x'", "PRIMARY", 0
	}
	var bad, total int
	if err := db.QueryRow("SELECT count(*), COALESCE(SUM(NOT ("+cond+")), 0) FROM acct").Scan(&total, &bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 || total != *crashRows {
		t.Errorf("%d of %d rows differ from the reference (%s)", bad, total, cond)
	}
	var got sql.NullString
	if err := db.QueryRow("SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'acct'").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got.String != keys {
		t.Errorf("indexes %s, want %s", got.String, keys)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit'").Scan(&n); err != nil || n != audit {
		t.Errorf("audit tables %d (%v), want %d", n, err, audit)
	}
}

// TestStopOnSignalMariaDB: SIGINT while apply's UPDATE runs. Once: the
// UPDATE finishes and is recorded, apply exits 1 saying where it stopped,
// and the next apply resumes after it. Twice, or once with the grace
// period running out: the UPDATE is stopped with KILL QUERY (1317) and
// rolls back with its record. Either way the next apply ends at head with
// every bal grown by exactly 10.
func TestStopOnSignalMariaDB(t *testing.T) {
	m := newMariaTarget(t)
	dir := writeMidMigrations(t, m)
	url := m.url.String()
	const update = "UPDATE acct SET bal = bal + 10"
	for _, tc := range []struct {
		name    string
		signals int
		args    []string
		stderr  string
		status  string
	}{
		{"once", 1, nil,
			"interrupted after statement 2 of 4 of 0001_step_1.sql: the run is recorded; run the same command again to resume",
			"statements 1-2 ran and stay applied; run apply again to resume at statement 3"},
		{"twice", 2, nil,
			"interrupted after statement 1 of 4 of 0001_step_1.sql: statement 2 was stopped (Error 1317",
			"statement 2 is in doubt: it was running when the run stopped\n  it ran in one transaction with its record, so it did not take effect: apply again runs it"},
		{"grace", 1, []string{"--stop-grace", "50ms"},
			"interrupted after statement 1 of 4 of 0001_step_1.sql: statement 2 was stopped (Error 1317",
			"statement 2 is in doubt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seedAcct(t, m)
			args := append([]string{"apply", "--url", url, "--dir", dir}, tc.args...)
			child, out := startFree(t, args)
			waitRunning(t, m, update, out)
			for range tc.signals {
				if err := child.Process.Signal(os.Interrupt); err != nil {
					t.Fatal(err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			_ = child.Wait()
			if !strings.Contains(out.String(), exitPrefix+"1") || !strings.Contains(out.String(), tc.stderr) {
				t.Fatalf("the child did not exit 1 with %q:\n%s", tc.stderr, out.String())
			}
			if status := schemactl(t, 0, "status", "--url", url, "--dir", dir); !strings.Contains(status, tc.status) {
				t.Errorf("status does not say %q:\n%s", tc.status, status)
			}
			schemactl(t, 0, "apply", "--url", url, "--dir", dir)
			checkReference(t, m, true)
		})
	}
}
