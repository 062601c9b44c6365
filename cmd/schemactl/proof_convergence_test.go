package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/schemagen"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

var seeds = flag.Int("seeds", 0, "seeds per engine for the convergence proofs (default 200 on SQLite, 50 on MariaDB); also $SCHEMACTL_SEEDS")

// seedCount is the number of seeds to run: -seeds, else $SCHEMACTL_SEEDS
// (which also works with go test ./..., where only some packages know the
// flag), else def.
func seedCount(t *testing.T, def int) int {
	if *seeds > 0 {
		return *seeds
	}
	if s := os.Getenv("SCHEMACTL_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SCHEMACTL_SEEDS=%q is not a positive number", s)
		}
		return n
	}
	if testing.Short() {
		return def / 10
	}
	return def
}

// TestConvergenceSQLite proves DESIGN §8 on generated schemas: for each
// seed, schema A is planned from an empty database and applied, every table
// gets rows, a random edit B of A is planned (destructive changes allowed)
// and applied. Then inspect must equal B, a second plan must be empty, the
// rows of the tables and columns B keeps must still be there with their
// values, and downgrade -1 must give back exactly A, rows included.
func TestConvergenceSQLite(t *testing.T) {
	n := seedCount(t, 200)
	for seed := 1; seed <= n; seed++ {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "app.db")
			p := &proof{t: t, seed: uint64(seed), dialect: schema.SQLite, dir: dir, url: "sqlite://" + path,
				open: func() (*sql.DB, error) {
					db, _, err := sqlite.Open(context.Background(), "sqlite://"+path)
					return db, err
				},
				normalize: sqlite.New().Normalize}
			p.converge(schemagen.Config{Dialect: schema.SQLite})
		})
	}
}

// proof is one seed of a convergence proof, with what a failure report
// needs.
type proof struct {
	t         *testing.T
	seed      uint64
	dialect   schema.Dialect
	database  string // the MySQL database; "" on SQLite
	dir       string
	url       string
	open      func() (*sql.DB, error)
	normalize func(*schema.Realm) error
	a, b      []byte   // the HCL of both schemas
	log       []string // the edit
}

func (p *proof) converge(cfg schemagen.Config) {
	t := p.t
	t.Cleanup(p.report)
	g := schemagen.New(p.seed, cfg)
	p.a = p.encode(g.Realm())
	p.write("a.hcl", p.a)
	p.cli(0, "plan", "--schema", "a.hcl", "-m", "schema a")
	p.cli(0, "apply")
	p.checkInspect("after apply A", p.a)
	p.cli(0, "plan", "--schema", "a.hcl", "--exit-code")

	p.insert(g.Rows(3))
	st := g.Edit()
	p.log = st.Log
	p.b = p.encode(st.To)
	p.write("b.hcl", p.b)
	before := p.snapshot(st.Kept, false)

	p.cli(0, "plan", "--schema", "b.hcl", "-m", "schema b", "--allow-destructive")
	if p.dialect == schema.SQLite {
		// The plan's approval is in the file: lint passes it as written.
		// (MySQL would need a dev database.)
		p.cli(0, "lint")
	}
	p.cli(0, "apply")
	p.checkInspect("after apply B", p.b)
	p.cli(0, "plan", "--schema", "b.hcl", "--exit-code")
	p.checkRows("after apply B", st.Kept, before, true)
	if files, _ := filepath.Glob(filepath.Join(p.dir, "migrations", "0002_*.sql")); len(files) == 0 {
		return // the edit undid itself: B is A, and there is nothing to downgrade
	}

	if len(st.DownBlocked) > 0 {
		// Down adds back a NOT NULL column without a default, or a foreign
		// key to a table it creates again empty: rows can keep it from
		// running, and then it must fail and roll back whole (SQLite), or
		// be refused by the preflight before its first statement (MySQL):
		// never leave the database half reverted.
		if code, _, stderr := p.exec("downgrade", "-1"); code != 0 {
			if p.dialect != schema.SQLite && !strings.Contains(stderr, "preflight refused the down section; nothing ran") {
				p.t.Fatalf("downgrade -1 failed without the preflight refusing it first:\n%s", stderr)
			}
			p.checkInspect("after a failed downgrade -1", p.b)
			// MySQL: a table may be back under its old name already.
			names := slices.Clone(st.DownBlocked)
			for _, k := range st.Kept {
				if slices.Contains(st.DownBlocked, k.To) && k.From != k.To {
					names = append(names, k.From)
				}
			}
			p.emptyTables(names)
			p.cli(0, "downgrade", "-1")
		}
	} else {
		p.cli(0, "downgrade", "-1")
	}
	// The language does not diff column positions (hcl-language §5): a
	// column that down adds back comes last, and plans to no change.
	p.checkInspect("after downgrade -1", p.a, anyColumnOrder)
	var still []schemagen.KeptTable
	for _, k := range st.Kept {
		if !slices.Contains(st.DownBlocked, k.To) {
			still = append(still, k)
		}
	}
	p.checkRows("after downgrade -1", still, before, false)
}

// emptyTables deletes every row of the tables, leaving rows that referenced
// them as they are.
func (p *proof) emptyTables(tables []string) {
	p.t.Helper()
	db := p.db()
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	defer conn.Close()
	off, on := "PRAGMA foreign_keys = off", "PRAGMA foreign_keys = on"
	if p.dialect == schema.MySQL {
		off, on = "SET FOREIGN_KEY_CHECKS = 0", "SET FOREIGN_KEY_CHECKS = 1"
	}
	if _, err := conn.ExecContext(ctx, off); err != nil {
		p.t.Fatal(err)
	}
	defer conn.ExecContext(ctx, on)
	for _, t := range tables {
		if _, err := conn.ExecContext(ctx, "DELETE FROM "+schemagen.QuoteIdent(t)); err != nil && !strings.Contains(err.Error(), "doesn't exist") && !strings.Contains(err.Error(), "no such table") {
			p.t.Fatal(err)
		}
	}
}

func (p *proof) encode(r *schema.Realm) []byte {
	src, err := schemahcl.Encode(r, engine.HCLDialect(p.dialect))
	if err != nil {
		p.t.Fatalf("encode generated schema: %v", err)
	}
	return src
}

func (p *proof) write(name string, data []byte) {
	if err := os.WriteFile(filepath.Join(p.dir, name), data, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// cli runs schemactl in process in the proof's directory's terms and fails
// the test unless it exits with want.
func (p *proof) cli(want int, args ...string) string {
	p.t.Helper()
	code, stdout, stderr := p.exec(args...)
	if code != want {
		p.t.Fatalf("schemactl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout
}

func (p *proof) exec(args ...string) (code int, stdout, stderr string) {
	full := append(slices.Clone(args), "--url", p.url, "--dir", filepath.Join(p.dir, "migrations"))
	for i, a := range full {
		if strings.HasSuffix(a, ".hcl") {
			full[i] = filepath.Join(p.dir, a)
		}
	}
	if args[0] == "downgrade" {
		// downgrade takes its target as an argument that looks like a flag.
		full = append([]string{"downgrade"}, append(full[2:], args[1])...)
	}
	var out, errb bytes.Buffer
	code = run(context.Background(), full, &out, &errb)
	return code, out.String(), errb.String()
}

const anyColumnOrder = true

// checkInspect compares inspect's HCL with the normalised schema src; with
// anyColumnOrder, the columns of a table may come in another order.
func (p *proof) checkInspect(when string, src []byte, anyColumnOrder ...bool) {
	p.t.Helper()
	want := p.normalized(src)
	got := p.cli(0, "inspect")
	if got != want {
		got, want = p.align(got, want, len(anyColumnOrder) > 0)
	}
	if got != want {
		p.t.Fatalf("%s: inspect differs from the schema (-want +got):\n%s", when, cmp.Diff(want, got))
	}
}

// normalized decodes HCL, normalises it the way plan does, drops the rename
// hints (they are not in a database) and encodes it again: what inspect must
// print for a database that has this schema.
func (p *proof) normalized(src []byte) string {
	r, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: engine.HCLDialect(p.dialect), Database: p.database}, schemahcl.Source{Filename: "schema.hcl", Bytes: src})
	if diags.HasErrors() {
		var b bytes.Buffer
		_ = schemahcl.WriteDiagnostics(&b, files, diags)
		p.t.Fatalf("generated schema does not decode:\n%s", b.String())
	}
	if err := p.normalize(r); err != nil {
		p.t.Fatalf("normalize: %v", err)
	}
	for _, s := range r.Schemas {
		for _, tb := range s.Tables {
			tb.RenamedFrom = ""
			for _, c := range tb.Columns {
				c.RenamedFrom = ""
			}
			for _, i := range tb.Indexes {
				i.RenamedFrom = ""
			}
		}
	}
	out, err := schemahcl.Encode(r, engine.HCLDialect(p.dialect))
	if err != nil {
		p.t.Fatalf("encode: %v", err)
	}
	return string(out)
}

// align rewrites HCL got where it may differ from HCL want and still
// describe the schema want asks for: a check that want leaves unnamed may
// have a name (the planner matches unnamed checks by their expression), and
// with anyColumnOrder the columns of a table may come in another order.
func (p *proof) align(got, want string, anyColumnOrder bool) (string, string) {
	p.t.Helper()
	decode := func(src string) *schema.Realm {
		r, _, diags := schemahcl.Parse(schemahcl.Options{Dialect: engine.HCLDialect(p.dialect), Database: p.database}, schemahcl.Source{Filename: "x.hcl", Bytes: []byte(src)})
		if diags.HasErrors() {
			p.t.Fatalf("inspect output does not decode: %v", diags)
		}
		return r
	}
	g, w := decode(got), decode(want)
	gs, ws := g.Schemas[0], w.Schemas[0]
	// On MySQL an option the schema leaves out is the server's to choose,
	// and plans no change (hcl-language §3, §4.1).
	if ws.Charset == "" {
		gs.Charset = ""
	}
	if ws.Collate == "" {
		gs.Collate = ""
	}
	for _, gt := range gs.Tables {
		wt, ok := ws.Table(gt.Name)
		if !ok {
			continue
		}
		if wt.Charset == "" {
			gt.Charset = ""
		}
		if wt.Collate == "" {
			gt.Collate = ""
		}
		if wt.Engine == "" {
			gt.Engine = ""
		}
		if wt.AutoIncrement == 0 {
			gt.AutoIncrement = 0
		}
		for _, gc := range gt.Columns {
			if wc, ok := wt.Column(gc.Name); ok {
				if wc.Charset == "" {
					gc.Charset = ""
				}
				if wc.Collate == "" {
					gc.Collate = ""
				}
			}
		}
		for _, wc := range wt.Checks {
			if wc.Name != "" {
				continue
			}
			for _, gc := range gt.Checks {
				if _, named := wt.Check(gc.Name); gc.Expr == wc.Expr && gc.Name != "" && !named {
					gc.Name = ""
					break
				}
			}
		}
		if !anyColumnOrder || len(wt.Columns) != len(gt.Columns) {
			continue
		}
		cols := make([]*schema.Column, 0, len(gt.Columns))
		for _, wc := range wt.Columns {
			if c, ok := gt.Column(wc.Name); ok {
				cols = append(cols, c)
			}
		}
		if len(cols) == len(gt.Columns) {
			gt.Columns = cols
		}
	}
	// The order of indexes, foreign keys and checks is not part of a
	// schema: plans match them by name.
	for _, r := range []*schema.Realm{g, w} {
		for _, tb := range r.Schemas[0].Tables {
			slices.SortStableFunc(tb.Indexes, func(a, b *schema.Index) int { return strings.Compare(a.Name, b.Name) })
			slices.SortStableFunc(tb.ForeignKeys, func(a, b *schema.ForeignKey) int { return strings.Compare(a.Name, b.Name) })
			slices.SortStableFunc(tb.Checks, func(a, b *schema.Check) int { return strings.Compare(a.Name, b.Name) })
		}
	}
	gotOut, err := schemahcl.Encode(g, engine.HCLDialect(p.dialect))
	if err != nil {
		p.t.Fatal(err)
	}
	wantOut, err := schemahcl.Encode(w, engine.HCLDialect(p.dialect))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(gotOut), string(wantOut)
}

func (p *proof) db() *sql.DB {
	db, err := p.open()
	if err != nil {
		p.t.Fatal(err)
	}
	return db
}

func (p *proof) insert(rows []*schemagen.Rows) {
	p.t.Helper()
	db := p.db()
	defer db.Close()
	if err := schemagen.Insert(context.Background(), db, p.dialect, rows); err != nil {
		p.t.Fatalf("insert rows that satisfy schema A: %v", err)
	}
}

// snapshot reads the kept columns of the kept tables, under their names
// before (to false) or after (to true) the edit.
func (p *proof) snapshot(kept []schemagen.KeptTable, to bool) map[string][][]string {
	p.t.Helper()
	db := p.db()
	defer db.Close()
	out := map[string][][]string{}
	for _, k := range kept {
		table, cols := k.From, make([]string, len(k.Columns))
		for i, c := range k.Columns {
			cols[i] = c.From
			if to {
				cols[i] = c.To
			}
		}
		if to {
			table = k.To
		}
		rows, err := schemagen.Select(context.Background(), db, table, cols)
		if err != nil {
			p.t.Fatal(err)
		}
		out[k.From] = rows
	}
	return out
}

// checkRows compares the kept rows now with those before the edit; NULLs of
// a column that became NOT NULL with a default hold the default.
func (p *proof) checkRows(when string, kept []schemagen.KeptTable, before map[string][][]string, to bool) {
	p.t.Helper()
	now := p.snapshot(kept, to)
	for _, k := range kept {
		want := slices.Clone(before[k.From])
		for r, row := range want {
			row = slices.Clone(row)
			for i, c := range k.Columns {
				if c.Fill != "" && row[i] == "NULL" {
					row[i] = c.Fill
				}
			}
			want[r] = row
		}
		if diff := cmp.Diff(sortRows(want), sortRows(now[k.From])); diff != "" {
			p.t.Errorf("%s: rows of table %q (now %q) changed (-before +now):\n%s", when, k.From, k.To, diff)
		}
	}
}

func sortRows(rows [][]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, " | ")
	}
	slices.Sort(out)
	return out
}

// report prints what reproduces a failure: the seed, the edit, both
// schemas and the migrations that were planned.
func (p *proof) report() {
	if !p.t.Failed() {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "REPRODUCE: go test ./cmd/schemactl -run '%s' (seed %d)\n", p.t.Name(), p.seed)
	fmt.Fprintf(&b, "edit A -> B:\n  %s\n", strings.Join(p.log, "\n  "))
	fmt.Fprintf(&b, "---- a.hcl ----\n%s", p.a)
	if p.b != nil {
		fmt.Fprintf(&b, "---- b.hcl ----\n%s", p.b)
	}
	files, _ := filepath.Glob(filepath.Join(p.dir, "migrations", "*.sql"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "---- %s ----\n%s", filepath.Base(f), data)
	}
	p.t.Log(b.String())
}

// TestConvergenceMariaDB is TestConvergenceSQLite on the MariaDB (or MySQL)
// server of internal/testdb, each seed in a database of its own.
func TestConvergenceMariaDB(t *testing.T) {
	n := seedCount(t, 50)
	for seed := 1; seed <= n; seed++ {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			u, name := testdb.MySQL(t)
			db, d, err := mysql.Open(context.Background(), u.String())
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			p := &proof{t: t, seed: uint64(seed), dialect: schema.MySQL, database: name, dir: t.TempDir(), url: u.String(),
				open:      func() (*sql.DB, error) { db, _, err := mysql.Open(context.Background(), u.String()); return db, err },
				normalize: d.Normalize}
			p.converge(schemagen.Config{Dialect: schema.MySQL, Schema: name, MariaDB: d.Flavor.MariaDB})
		})
	}
}
