package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/schemagen"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// crashSeed picks the generated schemas of the crash proofs: three
// versions whose migrations rebuild tables, so that there are many
// statement boundaries to die at.
const crashSeed = 11

// chain is a migration directory of generated schemas, with what a run
// that is never interrupted leaves behind: the inspected schema at every
// version and the rows at the head.
type chain struct {
	dir      string   // the migration directory
	versions []string // "0001", "0002", …
	schemas  map[string]string
	rows     []*schemagen.Rows // inserted once 0001 is applied
	final    map[string][]string
}

// newChain plans the generated schemas one after the other against a
// scratch database, applying each, and records the reference results.
func newChain(t *testing.T, work string, open func(url string) (*sql.DB, error), url string, seed uint64, cfg schemagen.Config) *chain {
	t.Helper()
	d := cfg.Dialect
	c := &chain{dir: filepath.Join(work, "migrations"), schemas: map[string]string{}}
	cfg.MaxTables, cfg.Hostile = 4, -1
	g := schemagen.New(seed, cfg)
	realms := []*schema.Realm{g.Realm()}
	c.rows = g.Rows(3)
	for range 2 {
		realms = append(realms, g.Edit().To)
	}
	for i, r := range realms {
		src, err := schemahcl.Encode(r, engine.HCLDialect(d))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(work, fmt.Sprintf("v%d.hcl", i+1))
		if err := os.WriteFile(file, src, 0o644); err != nil {
			t.Fatal(err)
		}
		schemactl(t, 0, "plan", "--url", url, "--dir", c.dir, "--schema", file, "-m", fmt.Sprintf("version %d", i+1), "--allow-destructive")
		schemactl(t, 0, "apply", "--url", url, "--dir", c.dir)
		v := fmt.Sprintf("%04d", i+1)
		c.versions = append(c.versions, v)
		c.schemas[v] = schemactl(t, 0, "inspect", "--url", url, "--dir", c.dir)
		if i == 0 {
			db, err := open(url)
			if err != nil {
				t.Fatal(err)
			}
			if err := schemagen.Insert(context.Background(), db, d, c.rows); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
	}
	c.final = dumpRows(t, open, url, c.schemas[c.head()], d)
	return c
}

func (c *chain) head() string { return c.versions[len(c.versions)-1] }

// dumpRows reads every row of every table of the schema (HCL as inspect
// prints it), canonical and sorted, per table.
func dumpRows(t *testing.T, open func(string) (*sql.DB, error), url, hcl string, d schema.Dialect) map[string][]string {
	t.Helper()
	r, _, diags := schemahcl.Parse(schemahcl.Options{Dialect: engine.HCLDialect(d)}, schemahcl.Source{Filename: "x.hcl", Bytes: []byte(hcl)})
	if diags.HasErrors() {
		t.Fatalf("inspect output does not decode: %v", diags)
	}
	db, err := open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]string{}
	for _, tb := range r.Schemas[0].Tables {
		var cols []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Name)
		}
		rows, err := schemagen.Select(context.Background(), db, tb.Name, cols)
		if err != nil {
			t.Fatal(err)
		}
		out[tb.Name] = sortRows(rows)
	}
	return out
}

// TestCrashApplySQLite kills apply with SIGKILL at every statement boundary
// of a multi-migration run, one run per boundary. Each time the version and
// history tables must tell the truth (on SQLite every migration is all or
// nothing: the one that was running left no trace), the schema must be the
// one of that version, the file must be intact, status must explain, and
// the next apply must finish with the expected schema and every row.
func TestCrashApplySQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process per statement")
	}
	work := t.TempDir()
	open := func(url string) (*sql.DB, error) {
		db, _, err := sqlite.Open(context.Background(), url)
		return db, err
	}
	c := newChain(t, work, open, "sqlite://"+filepath.Join(work, "reference.db"), crashSeed, schemagen.Config{Dialect: schema.SQLite})
	fresh := func(k int) string { return "sqlite://" + filepath.Join(work, fmt.Sprintf("crash%d.db", k)) }
	killEach(t, c, open, schema.SQLite, fresh, func(t *testing.T, url string, k killed) {
		checkAfterCrash(t, c, open, url, k.started)
	})
}

// TestCrashApplyMariaDB is TestCrashApplySQLite on MariaDB, where every
// DDL statement commits by itself: a migration killed half way stays half
// applied. The version must not have moved, status must say how many
// statements ran, and the next apply must resume after them (running one
// again would fail: the table or column exists) and finish with the
// expected schema and every row. The database is dropped and created again
// under its own name for each kill, as the schema files name it.
func TestCrashApplyMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process per statement")
	}
	m := newMariaTarget(t)
	u, name, d, open := m.url, m.name, m.d, m.open
	// Migrations on MariaDB are a few combined ALTERs each: three chains
	// give more boundaries to die at.
	for seed := uint64(crashSeed); seed < crashSeed+3; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			fresh := func(int) string { m.reset(t); return u.String() }
			fresh(0)
			c := newChain(t, t.TempDir(), open, u.String(), seed, schemagen.Config{Dialect: schema.MySQL, Schema: name, MariaDB: d.Flavor.MariaDB})
			killEach(t, c, open, schema.MySQL, fresh, func(t *testing.T, url string, k killed) { checkAfterCrashMariaDB(t, c, open, url, k) })
		})
	}
}

// checkAfterCrashMariaDB checks a MariaDB database whose apply was killed
// at k.
func checkAfterCrashMariaDB(t *testing.T, c *chain, open func(string) (*sql.DB, error), url string, k killed) {
	i := slices.Index(c.versions, k.started)
	want := c.versions[i-1]
	status := schemactl(t, 0, "status", "--url", url, "--dir", c.dir)
	lines := []string{"Version:    " + want}
	dir, err := executor.OpenDir(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	dir.Lexer = mysql.New(mysql.Flavor{MariaDB: true})
	ms, err := dir.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	total := len(ms[i].Up)
	switch {
	case k.done == total:
		lines = append(lines, fmt.Sprintf("Last run:   up %s was interrupted after its last statement", k.started),
			fmt.Sprintf("statements 1-%d ran and stay applied; the run stopped before recording the version: run apply again to record it", k.done))
	case k.done > 0:
		// Killed after statement k.done was recorded: statement k.done+1
		// may have started, so it is in doubt, not "resume at" it.
		lines = append(lines,
			fmt.Sprintf("Last run:   up %s was interrupted at statement %d of", k.started, k.done+1),
			fmt.Sprintf("statements 1-%d ran and stay applied; statement %d is in doubt", k.done, k.done+1))
	}
	for _, line := range lines {
		if !strings.Contains(status, line) {
			t.Errorf("status does not say %q:\n%s", line, status)
		}
	}
	out := schemactl(t, 0, "apply", "--url", url, "--dir", c.dir)
	if resumed := fmt.Sprintf("(resuming: statements 1-%d ran in an earlier attempt)", k.done); k.done > 0 && !strings.Contains(out, resumed) {
		t.Errorf("the next apply does not say %q:\n%s", resumed, out)
	}
	if diff := cmp.Diff(c.schemas[c.head()], schemactl(t, 0, "inspect", "--url", url, "--dir", c.dir)); diff != "" {
		t.Errorf("after the next apply, schema differs from the head's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.final, dumpRows(t, open, url, c.schemas[c.head()], schema.MySQL)); diff != "" {
		t.Errorf("after the next apply, rows differ from a run never killed (-want +got):\n%s", diff)
	}
}

// mariaTarget is the database of a MariaDB proof: one database whose name
// the generated schema files carry, emptied between runs by dropping and
// creating it again.
type mariaTarget struct {
	url  *url.URL
	name string
	d    *mysql.Dialect
}

func newMariaTarget(t *testing.T) *mariaTarget {
	u, name := testdb.MySQL(t)
	db, d, err := mysql.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	return &mariaTarget{url: u, name: name, d: d}
}

// open connects to the database; the URL argument is the proof helpers'
// and is always the target's own.
func (m *mariaTarget) open(string) (*sql.DB, error) {
	db, _, err := mysql.Open(context.Background(), m.url.String())
	return db, err
}

func (m *mariaTarget) reset(t *testing.T) {
	db, err := m.open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := "`" + strings.ReplaceAll(m.name, "`", "``") + "`"
	for _, stmt := range []string{"DROP DATABASE " + q, "CREATE DATABASE " + q} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// killed is where a child was killed: in migration started, after done of
// its statements had printed their line.
type killed struct {
	started string
	done    int
}

// killEach runs the kill loop of the crash proofs: for k = 0, 1, … it puts
// a fresh database (fresh(k) returns its URL) at the chain's first version
// with its rows, runs apply to the head in a paced child and kills it after
// the k-th line it prints, once a migration has begun; then check judges
// what is left. It stops when a child finishes before its k-th line.
func killEach(t *testing.T, c *chain, open func(string) (*sql.DB, error), d schema.Dialect, fresh func(k int) string, check func(*testing.T, string, killed)) {
	for k := 0; ; k++ {
		url := fresh(k)
		schemactl(t, 0, "apply", "--url", url, "--dir", c.dir, "--to", c.versions[0])
		db, err := open(url)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemagen.Insert(context.Background(), db, d, c.rows); err != nil {
			t.Fatal(err)
		}
		db.Close()

		child := startPaced(t, "apply", "--url", url, "--dir", c.dir)
		var at killed
		stopped, code := false, -1
		for i := 0; ; i++ {
			line, ok := child.next()
			if !ok {
				break
			}
			if rest, found := strings.CutPrefix(line, exitPrefix); found {
				fmt.Sscan(rest, &code)
				break
			}
			if v, found := strings.CutPrefix(line, "Applying "); found {
				at = killed{started: strings.Fields(v)[0]}
			}
			if strings.HasPrefix(line, "  -> ") {
				at.done++
			}
			if i == k && at.started != "" && !strings.HasPrefix(line, "Database is at") {
				child.kill(t)
				stopped = true
				break
			}
			child.resume(t)
		}
		if !stopped {
			if k == 0 || code != 0 {
				t.Fatalf("the child ran no statement or failed (exit %d):\n%s\n%s", code, strings.Join(child.out, "\n"), child.stderr.String())
			}
			return // every boundary has been tried
		}
		t.Run(fmt.Sprintf("line %d", k+1), func(t *testing.T) {
			t.Logf("killed after %q", child.out[len(child.out)-1])
			check(t, url, at)
		})
		if t.Failed() {
			return
		}
	}
}

// checkAfterCrash checks a SQLite database whose apply was killed while
// migration started ran.
func checkAfterCrash(t *testing.T, c *chain, open func(string) (*sql.DB, error), url, started string) {
	i := slices.Index(c.versions, started)
	want := c.versions[i-1] // the migration that ran was rolled back whole
	db, err := open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryLines(t, db, "PRAGMA integrity_check"); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("integrity_check: %v", got)
	}
	if got := queryLines(t, db, "PRAGMA foreign_key_check"); len(got) > 0 {
		t.Errorf("foreign_key_check: %v", got)
	}
	dir, err := executor.OpenDir(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	ex := &executor.Executor{DB: db, Driver: sqlite.New(), Dir: dir}
	if cur, err := ex.Current(context.Background()); err != nil || cur != want {
		t.Errorf("version table says %q (%v), want %q", cur, err, want)
	}
	hist, err := ex.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		got = append(got, fmt.Sprintf("%s %s ok=%v", r.Direction, r.Version, r.Succeeded()))
	}
	var wantHist []string
	for _, v := range c.versions[:i] {
		wantHist = append(wantHist, fmt.Sprintf("up %s ok=true", v))
	}
	if diff := cmp.Diff(wantHist, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.schemas[want], schemactl(t, 0, "inspect", "--url", url, "--dir", c.dir)); diff != "" {
		t.Errorf("schema is not the one of %s (-want +got):\n%s", want, diff)
	}
	status := schemactl(t, 0, "status", "--url", url, "--dir", c.dir)
	for _, line := range []string{"Version:    " + want, fmt.Sprintf("Pending:    %d", len(c.versions)-i), "  " + started + " "} {
		if !strings.Contains(status, line) {
			t.Errorf("status does not say %q:\n%s", line, status)
		}
	}
	schemactl(t, 0, "apply", "--url", url, "--dir", c.dir)
	if diff := cmp.Diff(c.schemas[c.head()], schemactl(t, 0, "inspect", "--url", url, "--dir", c.dir)); diff != "" {
		t.Errorf("after the next apply, schema differs from the head's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.final, dumpRows(t, open, url, c.schemas[c.head()], schema.SQLite)); diff != "" {
		t.Errorf("after the next apply, rows differ from a run never killed (-want +got):\n%s", diff)
	}
}

// queryLines runs a query and returns each row as its values joined by
// spaces.
func queryLines(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
