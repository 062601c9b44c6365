package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// onlineRows is the size of the table the proof changes: 2,000,000 rows
// of about 120 bytes (two ints, 100 bytes of padding, InnoDB's own
// header), which MariaDB copies for longer than any writer may wait.
const onlineRows = 2000000

// maxOnlineWait is the proof's bound on one write's wait while the table
// is changed online.
//
// Where a write waits, and why the bound holds with room to spare:
//   - at trigger creation (three CREATE TRIGGERs) and at the swap (one
//     RENAME TABLE of both tables), each of which needs the table's
//     metadata lock: it is granted at once here, since nothing holds it
//     longer than one autocommit INSERT, and the statements last
//     milliseconds. Nothing passed to the tool loosens this: its
//     lock_wait_timeout is its own, and --set-vars carries sql_mode only.
//   - for the chunk being copied: on MariaDB (innodb_autoinc_lock_mode
//     1) the chunk's INSERT … SELECT holds the copy's AUTO-INC table lock
//     to its end, and the trigger's REPLACE into the copy waits for it.
//     schemactl asks the tool for 0.1 s chunks (--chunk-time); the
//     longest waits measured are 0.14–0.27 s (0.51 s once, on a heavily
//     loaded 2-core machine).
//     With the tool's default 0.5 s chunks they were 0.55–0.71 s.
const maxOnlineWait = time.Second

// TestOnlineAlterUnderWrites is the online path's proof: a column type
// change that MariaDB can only do by copying (int to bigint: its INPLACE
// and NOCOPY refuse it, which the test checks) runs through schemactl
// apply on a table of onlineRows rows while a writer inserts one row at a
// time. No write waits maxOnlineWait or longer (a write the server made
// a deadlock's victim, which the online copy can cause, see insertRow,
// is retried, and its wait counts from its first try), no write fails,
// every acknowledged write is there afterwards, the column has its new
// type, and a second apply has nothing to do. The same change without
// -- schemactl:online, on a second database of the same rows under the
// same writer, is measured and logged for comparison, never asserted on.
func TestOnlineAlterUnderWrites(t *testing.T) {
	needOnlineTool(t)
	began := time.Now()
	online, plain := newMariaTarget(t), newMariaTarget(t)
	onlineDir, plainDir := widenMigrations(t, true), widenMigrations(t, false)
	schemactl(t, 0, "apply", "--url", online.url.String(), "--dir", onlineDir, "--to", "0001")
	schemactl(t, 0, "apply", "--url", plain.url.String(), "--dir", plainDir, "--to", "0001")
	odb, pdb := openTarget(t, online), openTarget(t, plain)
	checkNeedsCopy(t, odb)
	fill := fillWiden(t, odb, pdb)

	on := applyUnderWrites(t, online, odb, onlineDir)
	if !strings.Contains(on.out, "runs online through pt-online-schema-change") {
		t.Errorf("apply does not say the ALTER ran online:\n%s", on.out)
	}
	if len(on.errs) > 0 {
		t.Errorf("%d of the writer's INSERTs failed during the online change, first: %v", len(on.errs), on.errs[0])
	}
	if on.maxWait >= maxOnlineWait {
		t.Errorf("online: a write waited %v (at %v into the apply of %v), want < %v\n%s",
			on.maxWait.Round(time.Millisecond), on.maxAt.Round(time.Millisecond), on.took.Round(time.Millisecond), maxOnlineWait, on.out)
	}
	checkWidened(t, odb, on)
	if got := schemactl(t, 0, "apply", "--url", online.url.String(), "--dir", onlineDir); !strings.Contains(got, "Nothing to do") {
		t.Errorf("a second apply did something:\n%s", got)
	}
	schemactl(t, 0, "status", "--url", online.url.String(), "--dir", onlineDir, "--exit-code")

	pl := applyUnderWrites(t, plain, pdb, plainDir)
	if strings.Contains(pl.out, "pt-online-schema-change") {
		t.Errorf("the plain apply ran online:\n%s", pl.out)
	}
	checkWidened(t, pdb, pl)
	t.Logf("plain ALTER: writer waited up to %.2f s; online: %.2f s; the online apply took %.1f s, the plain one %.1f s",
		pl.maxWait.Seconds(), on.maxWait.Seconds(), on.took.Seconds(), pl.took.Seconds())
	t.Logf("%d rows, filled in %v (both databases)", onlineRows, fill.Round(100*time.Millisecond))
	t.Logf("plain ALTER: writer waited up to %v (%d writes, %d failed, %d deadlock retries); apply took %v",
		pl.maxWait.Round(10*time.Millisecond), len(pl.acked), len(pl.errs), pl.deadlocks, pl.took.Round(100*time.Millisecond))
	t.Logf("online:      writer waited up to %v (%d writes, %d failed, %d deadlock retries), the longest at %v into the apply; apply took %v",
		on.maxWait.Round(10*time.Millisecond), len(on.acked), len(on.errs), on.deadlocks, on.maxAt.Round(100*time.Millisecond), on.took.Round(100*time.Millisecond))
	t.Logf("online: the writer's longest waits %v", on.longest)
	t.Logf("whole test: %v", time.Since(began).Round(100*time.Millisecond))
}

// widenMigrations writes and hashes the proof's two migrations: a table,
// then its int column made bigint, online or not.
func widenMigrations(t *testing.T, online bool) string {
	t.Helper()
	header := ""
	if online {
		header = "-- schemactl:online\n"
	}
	return writeMigrations(t, map[string]string{
		"0001_table.sql": `-- schemactl 0001 "table"
-- dialect: mysql
-- revises: base
-- +up
CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, a int NULL, pad varchar(100) NOT NULL DEFAULT '', KEY k_a (a));
-- +down
DROP TABLE t;
`,
		"0002_widen.sql": `-- schemactl 0002 "widen a"
-- dialect: mysql
-- revises: 0001
` + header + `-- +up
ALTER TABLE t MODIFY a bigint NULL;
-- +down
ALTER TABLE t MODIFY a int NULL;
`,
	})
}

func openTarget(t *testing.T, m *mariaTarget) *sql.DB {
	t.Helper()
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkNeedsCopy makes sure the change is one the server does by copying
// the table, blocking writes, which is what the proof is about: an
// in-place change would prove nothing. An empty table of the same
// definition is asked.
func checkNeedsCopy(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.Exec("CREATE TABLE t_probe LIKE t"); err != nil {
		t.Fatal(err)
	}
	defer db.Exec("DROP TABLE t_probe")
	for _, alg := range []string{"INSTANT", "NOCOPY", "INPLACE"} {
		if _, err := db.Exec("ALTER TABLE t_probe MODIFY a bigint NULL, ALGORITHM=" + alg); err == nil {
			t.Fatalf("the server changes int to bigint with ALGORITHM=%s: the proof needs a change that copies the table", alg)
		}
	}
}

// fillWiden fills t in both databases at once, each in one statement
// from MariaDB's sequence engine, and returns how long it took.
func fillWiden(t *testing.T, dbs ...*sql.DB) time.Duration {
	t.Helper()
	start := time.Now()
	q := fmt.Sprintf("INSERT INTO t (a, pad) SELECT seq, REPEAT('x', 100) FROM seq_1_to_%d", onlineRows)
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { _, errs[i] = db.Exec(q) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return time.Since(start)
}

// writes is what one apply under the writer did and saw.
type writes struct {
	out  string        // what apply printed
	took time.Duration // how long apply ran
	// acked maps the id of each INSERT the server acknowledged to its a.
	acked map[int64]int64
	errs  []error
	// deadlocks counts the INSERTs the server chose as a deadlock's
	// victim, which the writer ran again, as an application does.
	deadlocks int
	maxWait   time.Duration
	// maxAt is when the longest wait began, from the start of apply.
	maxAt   time.Duration
	longest []string // the five longest waits, and when they began
}

// wait is one write's latency, retries included, and when it began from
// the start of apply.
type wait struct{ at, d time.Duration }

// applyUnderWrites runs apply on m's database to the head of dir while a
// writer inserts into t, one autocommit INSERT at a time on its own
// connection, from before apply begins until it ends.
func applyUnderWrites(t *testing.T, m *mariaTarget, db *sql.DB, dir string) writes {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var (
		w       = writes{acked: map[int64]int64{}}
		waits   []wait
		zero    = time.Now() // moved to when apply begins
		stop    = make(chan struct{})
		done    = make(chan struct{})
		started = make(chan struct{})
		mu      sync.Mutex
	)
	go func() {
		defer close(done)
		for n := int64(1); ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			s := time.Now()
			id, deadlocks, err := insertRow(conn, -n)
			d := time.Since(s)
			mu.Lock()
			waits = append(waits, wait{s.Sub(zero), d})
			w.deadlocks += deadlocks
			if err != nil {
				w.errs = append(w.errs, err)
			} else {
				w.acked[id] = -n
			}
			mu.Unlock()
			if n == 1 {
				close(started)
			}
			if err != nil {
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	<-started
	mu.Lock()
	shift := time.Since(zero)
	zero = zero.Add(shift)
	for i := range waits {
		waits[i].at -= shift
	}
	mu.Unlock()
	w.out = schemactlOut(t, 0, "apply", "--url", m.url.String(), "--dir", dir)
	w.took = time.Since(zero)
	// A few writes after apply: the swap's last moment is covered too.
	time.Sleep(200 * time.Millisecond)
	close(stop)
	<-done
	slices.SortFunc(waits, func(a, b wait) int { return int(b.d - a.d) })
	for _, x := range waits[:min(5, len(waits))] {
		w.longest = append(w.longest, fmt.Sprintf("%v at %v", x.d.Round(time.Millisecond), x.at.Round(10*time.Millisecond)))
	}
	w.maxWait, w.maxAt = waits[0].d, waits[0].at
	return w
}

// insertRow inserts a row of t with a, autocommit, and returns its id.
// An INSERT the server picks as a deadlock's victim is run again, as an
// application does (deadlocks counts them): near the end of the online
// copy, its last chunk's locking read of t waits for the row the writer
// inserts, while the writer's trigger waits for the copy's AUTO-INC lock
// (innodb_autoinc_lock_mode 1, MariaDB's default).
func insertRow(conn *sql.Conn, a int64) (id int64, deadlocks int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		res, err := conn.ExecContext(ctx, "INSERT INTO t (a, pad) VALUES (?, 'writer')", a)
		if me := (*driver.MySQLError)(nil); errors.As(err, &me) && me.Number == 1213 && deadlocks < 10 {
			deadlocks++
			continue
		}
		if err != nil {
			return 0, deadlocks, err
		}
		id, err := res.LastInsertId()
		return id, deadlocks, err
	}
}

// checkWidened checks t after the change: a is bigint, the rows it had
// are there unchanged, and so is every write the server acknowledged;
// the tool left nothing behind.
func checkWidened(t *testing.T, db *sql.DB, w writes) {
	t.Helper()
	var typ string
	if err := db.QueryRow("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'a'").Scan(&typ); err != nil {
		t.Fatal(err)
	}
	if typ != "bigint(20)" {
		t.Errorf("a is %s, want bigint(20)", typ)
	}
	var n, sum int64
	if err := db.QueryRow("SELECT COUNT(*), COALESCE(SUM(a), 0) FROM t WHERE id <= ?", onlineRows).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if want := int64(onlineRows) * (onlineRows + 1) / 2; n != onlineRows || sum != want {
		t.Errorf("the original rows: %d, sum(a) %d; want %d, %d", n, sum, onlineRows, want)
	}
	rows, err := db.Query("SELECT id, a FROM t WHERE id > ?", onlineRows)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int64]int64{}
	for rows.Next() {
		var id, a int64
		if err := rows.Scan(&id, &a); err != nil {
			t.Fatal(err)
		}
		got[id] = a
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	missing := 0
	for id, a := range w.acked {
		if v, ok := got[id]; !ok || v != a {
			if missing++; missing <= 5 {
				t.Errorf("acknowledged write id %d (a = %d) is not in t (found: %t, a = %d)", id, a, ok, v)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are missing", missing, len(w.acked))
	}
	if len(got) != len(w.acked) && len(w.errs) == 0 {
		t.Errorf("t has %d written rows, the writer had %d acknowledged", len(got), len(w.acked))
	}
	if len(w.acked) < 100 {
		t.Errorf("the writer got only %d writes in during apply: the proof saw too little", len(w.acked))
	}
	if n := count(t, db, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()"); n != 0 {
		t.Errorf("%d triggers left", n)
	}
	left := strings.Join(queryLines(t, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_%' ORDER BY 1"), " ")
	if left != "" {
		t.Errorf("the tool's tables are left: %s", left)
	}
}
