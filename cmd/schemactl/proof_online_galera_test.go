package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// galeraOnlineRows is the size of t before the online change: enough for
// the tool's copy to take a moment on the cluster, small enough for CI.
const galeraOnlineRows = 50000

// TestGaleraOnlineUnderWrites: on a 3-node Galera cluster, an online
// migration applied through node 1 runs its ALTER TABLE through
// pt-online-schema-change while a writer inserts into the same table
// through node 2. Every insert the cluster acknowledged is on every node
// afterwards, the writer's inserts went on during the tool's copy, every
// node has the same schema with the original key names and none of the
// tool's tables or triggers, every node says 0002, and a second plan and
// apply have nothing to do.
func TestGaleraOnlineUnderWrites(t *testing.T) {
	needOnlineTool(t)
	nodes, _ := testdb.Galera(t)
	urlA, urlB, urlC := nodes[0].String(), nodes[1].String(), nodes[2].String()
	dir := onlineDir(t)
	schemactl(t, 0, "apply", "--url", urlA, "--dir", dir, "--to", "0001")
	dbA := testdb.OpenMySQL(t, nodes[0])
	for _, q := range []string{
		"INSERT INTO p VALUES (1)",
		fmt.Sprintf("INSERT INTO t (a, p, pad) SELECT seq, IF(seq %% 2 = 0, 1, NULL), REPEAT('x', 100) FROM seq_1_to_%d", galeraOnlineRows),
		// Galera interleaves the nodes' AUTO_INCREMENT values: ids are not 1…n.
		"INSERT INTO c SELECT ROW_NUMBER() OVER (ORDER BY id), id FROM t ORDER BY id LIMIT 100",
	} {
		if _, err := dbA.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	keysBefore := keyNames(t, syncedDB(t, urlC))
	if want := []string{"fk c.fk_t -> t", "fk t.fk_p -> p", "index c.PRIMARY", "index c.fk_t", "index p.PRIMARY",
		"index t.PRIMARY", "index t.fk_p", "index t.k_a"}; !sameSet(keysBefore, want) {
		t.Fatalf("after 0001 the keys are %q, want %q", keysBefore, want)
	}

	w := startGaleraWriter(t, testdb.OpenMySQL(t, nodes[1]))
	watch := watchToolTriggers(t, dbA)
	w.waitAcked(t, 20)
	start := time.Now()
	out := schemactlOut(t, 0, "apply", "--url", urlA, "--dir", dir)
	took := time.Since(start)
	w.waitAcked(t, w.ackedCount()+20) // writes after the swap too
	w.stop()
	first, last := watch()
	t.Logf("apply through node 1 took %v:\n%s", took.Round(time.Millisecond), out)
	if !strings.Contains(out, "runs online through pt-online-schema-change") {
		t.Fatalf("the apply did not run 0002 through pt-online-schema-change:\n%s", out)
	}
	w.report(t, start, start.Add(took), first, last)

	var ref map[string]string
	for i, u := range []string{urlA, urlB, urlC} {
		db := syncedDB(t, u)
		checkGaleraNode(t, db, i+1, w.ids())
		if got := keyNames(t, db); !slices.Equal(got, keysBefore) {
			t.Errorf("node %d: keys %q, want the original %q", i+1, got, keysBefore)
		}
		st := schemactl(t, 0, "status", "--url", u, "--dir", dir, "--exit-code")
		if !strings.Contains(st, "Version:    0002 (head)\n") {
			t.Errorf("status through node %d does not say 0002:\n%s", i+1, st)
		}
		shows := showCreate(t, db, "p", "t", "c")
		if ref == nil {
			ref = shows
			if !strings.Contains(shows["t"], "`a` bigint(20) DEFAULT NULL") {
				t.Errorf("node 1: a is not bigint:\n%s", shows["t"])
			}
			continue
		}
		for _, tbl := range []string{"p", "t", "c"} {
			if shows[tbl] != ref[tbl] {
				t.Errorf("node %d: SHOW CREATE TABLE %s differs from node 1's:\n%s\nnode 1:\n%s", i+1, tbl, shows[tbl], ref[tbl])
			}
		}
	}
	if again := schemactlOut(t, 0, "apply", "--url", urlB, "--dir", dir); !strings.Contains(again, "Nothing to do.") {
		t.Errorf("a second apply through node 2 did something:\n%s", again)
	}
	hcl := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(hcl, []byte(schemactl(t, 0, "inspect", "--url", urlC, "--dir", dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	if plan := schemactl(t, 0, "plan", "--url", urlA, "--dir", dir, "--schema", hcl, "--exit-code"); !strings.Contains(plan, "No changes.") {
		t.Errorf("plan through node 1 of node 3's schema is not empty:\n%s", plan)
	}
}

// syncedDB opens u as schemactl does: on a cluster node every read waits
// for the node to apply what the cluster committed (wsrep_sync_wait).
func syncedDB(t *testing.T, u string) *sql.DB {
	t.Helper()
	db, _, err := mysql.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkGaleraNode checks, on node n, that t holds the filled rows and
// every insert the writer had acknowledged, and nothing of the tool is
// left.
func checkGaleraNode(t *testing.T, db *sql.DB, n int, acked []int64) {
	t.Helper()
	have := map[int64]bool{}
	for _, l := range queryLines(t, db, "SELECT id FROM t WHERE a < 0") {
		var id int64
		fmt.Sscan(l, &id)
		have[id] = true
	}
	missing := 0
	for _, id := range acked {
		if !have[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("node %d: %d of the writer's %d acknowledged inserts are missing", n, missing, len(acked))
	}
	if got := count(t, db, "SELECT COUNT(*) FROM t"); got != galeraOnlineRows+len(have) || len(have) != len(acked) {
		t.Errorf("node %d: t has %d rows, %d of them the writer's; want %d and %d", n, got, len(have), galeraOnlineRows+len(acked), len(acked))
	}
	for what, q := range map[string]string{
		"triggers": "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
		"tables":   "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_%'",
	} {
		if left := queryLines(t, db, q); len(left) > 0 {
			t.Errorf("node %d: the tool's %s are left: %q", n, what, left)
		}
	}
}

// keyNames lists the foreign keys and indexes of p, t and c.
func keyNames(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return queryLines(t, db, `SELECT CONCAT('fk ', TABLE_NAME, '.', CONSTRAINT_NAME, ' -> ', REFERENCED_TABLE_NAME)
		FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
		UNION ALL SELECT DISTINCT CONCAT('index ', TABLE_NAME, '.', INDEX_NAME) FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('p', 't', 'c') ORDER BY 1`)
}

// autoIncrement is SHOW CREATE TABLE's AUTO_INCREMENT option, the next
// value of the node's own counter: Galera interleaves the counters of its
// nodes (wsrep_auto_increment_control), so it differs between nodes.
var autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

func showCreate(t *testing.T, db *sql.DB, tables ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tbl := range tables {
		var name, text string
		if err := db.QueryRow("SHOW CREATE TABLE "+tbl).Scan(&name, &text); err != nil {
			t.Fatalf("SHOW CREATE TABLE %s: %v", tbl, err)
		}
		out[tbl] = autoIncrement.ReplaceAllString(text, "")
	}
	return out
}

// galeraWriter inserts rows into t, one autocommitted INSERT after the
// other, and remembers the ids of those the server acknowledged and when.
type galeraWriter struct {
	mu       sync.Mutex
	acked    []int64
	at       []time.Time
	began    time.Time
	aborted  map[string]int // clusterAbort errors by number and time: not acknowledged
	failures []error
	maxWait  time.Duration
	maxAt    time.Time // when the longest insert began
	done     chan struct{}
	finished chan struct{}
}

func startGaleraWriter(t *testing.T, db *sql.DB) *galeraWriter {
	t.Helper()
	// The first insert must not wait for the connection to be made.
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	w := &galeraWriter{done: make(chan struct{}), finished: make(chan struct{}), began: time.Now(), aborted: map[string]int{}}
	go func() {
		defer close(w.finished)
		for i := 1; ; i++ {
			select {
			case <-w.done:
				return
			default:
			}
			begin := time.Now()
			res, err := db.Exec("INSERT INTO t (a, p, pad) VALUES (?, 1, 'w')", -i)
			wait := time.Since(begin)
			var id int64
			if err == nil {
				id, err = res.LastInsertId()
			}
			w.mu.Lock()
			if wait > w.maxWait {
				w.maxWait, w.maxAt = wait, begin
			}
			var me *driver.MySQLError
			errors.As(err, &me)
			switch {
			case err == nil:
				w.acked, w.at = append(w.acked, id), append(w.at, time.Now())
			case clusterAbort(err):
				w.aborted[fmt.Sprintf("%d at %v", me.Number, begin.Sub(w.began).Round(10*time.Millisecond))]++
			case len(w.failures) < 10:
				w.failures = append(w.failures, err)
			}
			w.mu.Unlock()
		}
	}()
	t.Cleanup(w.stop)
	return w
}

// clusterAbort reports whether err is how Galera aborts a transaction of
// a node that conflicts with a write or a DDL (TOI) of another node: a
// deadlock (failed certification, or a brute-force abort by a TOI DDL of
// the tool), an interrupted statement (a brute-force abort while it ran),
// or, seen here for an insert running while the tool created its
// triggers, "table _t_new doesn't exist", the tool's copy the new trigger
// writes to (which exists by then). The client retries such a
// transaction as any deadlock; it was not acknowledged, and the test
// checks that it did not take effect.
func clusterAbort(err error) bool {
	var me *driver.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	return me.Number == 1213 || me.Number == 1317 || me.Number == 1146 && strings.Contains(me.Message, "._t_new'")
}

func (w *galeraWriter) stop() {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	<-w.finished
}

func (w *galeraWriter) ackedCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

func (w *galeraWriter) ids() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.acked)
}

// waitAcked waits until the writer has n acknowledged inserts.
func (w *galeraWriter) waitAcked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for w.ackedCount() < n {
		if time.Now().After(deadline) {
			w.mu.Lock()
			defer w.mu.Unlock()
			t.Fatalf("the writer has %d acknowledged inserts, not %d; failures: %v", len(w.acked), n, w.failures)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// report logs what the writer saw, and fails the test when an insert
// failed other than by a certification conflict, or when no insert was
// acknowledged while the tool's triggers existed (from first to last):
// then the writes did not go on during the copy.
func (w *galeraWriter) report(t *testing.T, start, end, first, last time.Time) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	during := 0
	for _, at := range w.at {
		if at.After(first) && at.Before(last) {
			during++
		}
	}
	rel := func(at time.Time) time.Duration { return at.Sub(w.began).Round(10 * time.Millisecond) }
	t.Logf("times after the writer began: apply %v to %v, the tool's triggers %v to %v", rel(start), rel(end), rel(first), rel(last))
	t.Logf("writer through node 2: %d inserts acknowledged, %d while the tool's triggers lived, aborted by the cluster (error at time: count): %v; longest insert %v at %v",
		len(w.acked), during, w.aborted, w.maxWait.Round(time.Millisecond), rel(w.maxAt))
	for _, err := range w.failures {
		t.Errorf("an insert through node 2 failed: %v", err)
	}
	if first.IsZero() {
		t.Error("the tool's triggers were never seen")
	} else if during == 0 {
		t.Error("no insert was acknowledged while the tool copied the table")
	}
}

// watchToolTriggers polls, until the returned function is called, for
// the tool's triggers on db's database, and that function returns when
// they were first and last seen. The reads do not wait for the cluster:
// they must not queue behind its DDL.
func watchToolTriggers(t *testing.T, db *sql.DB) func() (first, last time.Time) {
	t.Helper()
	stop, finished := make(chan struct{}), make(chan struct{})
	var first, last time.Time
	var err error
	go func() {
		defer close(finished)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var n int
			err = db.QueryRow("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'").Scan(&n)
			var me *driver.MySQLError
			if errors.As(err, &me) && me.Number == 1213 {
				// The cluster aborts a read of the catalog that a DDL
				// (the tool's, under TOI) needs to get past.
				err = nil
				continue
			}
			if err != nil {
				return
			}
			if n > 0 {
				if first.IsZero() {
					first = time.Now()
				}
				last = time.Now()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	var once sync.Once
	end := func() (time.Time, time.Time) {
		once.Do(func() { close(stop); <-finished })
		if err != nil {
			t.Errorf("watch the tool's triggers: %v", err)
		}
		return first, last
	}
	t.Cleanup(func() { end() })
	return end
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
