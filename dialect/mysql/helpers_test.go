package mysql_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// cmpOpts compares models: source positions never count, nil equals empty,
// and the order of indexes and checks is the server's business.
var cmpOpts = cmp.Options{
	cmpopts.IgnoreTypes(schema.Range{}),
	cmpopts.EquateEmpty(),
	cmpopts.SortSlices(func(a, b *schema.Index) bool { return a.Name < b.Name }),
	cmpopts.SortSlices(func(a, b *schema.Check) bool { return a.Name < b.Name }),
}

// server is one fresh database on the test server.
type server struct {
	u    *url.URL
	name string
	db   *sql.DB
	d    *mysql.Dialect
}

// newServer creates a database and opens it through mysql.Open.
func newServer(t testing.TB) *server {
	t.Helper()
	u, name := testdb.MySQL(t)
	db, d, err := mysql.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &server{u: u, name: name, db: db, d: d}
}

func (s *server) exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, st := range stmts {
		if strings.TrimSpace(st) == "" {
			continue
		}
		if _, err := s.db.Exec(st); err != nil {
			t.Fatalf("exec %s: %v", st, err)
		}
	}
}

// script runs statements separated by ";\n".
func (s *server) script(t testing.TB, text string) {
	t.Helper()
	s.exec(t, strings.Split(text, ";\n")...)
}

func (s *server) inspect(t testing.TB) *schema.Realm {
	t.Helper()
	r, err := s.d.Inspect(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// migrate runs statements on one connection between BeginMigration and
// the end of the migration it returns, as the executor does.
func (s *server) migrate(t testing.TB, stmts []planner.Statement) {
	t.Helper()
	if err := s.tryMigrate(stmts); err != nil {
		t.Fatal(err)
	}
}

func (s *server) tryMigrate(stmts []planner.Statement) error {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	m, err := s.d.BeginMigration(ctx, conn)
	if err != nil {
		return err
	}
	defer m.End(ctx, true)
	for _, st := range stmts {
		if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			return &stmtError{st.SQL, err}
		}
	}
	return nil
}

type stmtError struct {
	stmt string
	err  error
}

func (e *stmtError) Error() string { return e.err.Error() + "\n\t" + e.stmt }
func (e *stmtError) Unwrap() error { return e.err }

// showCreate returns SHOW CREATE TABLE of every table, by name.
func (s *server) showCreate(t testing.TB) map[string]string {
	t.Helper()
	rows, err := s.db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", s.name)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var name, create string
		if err := s.db.QueryRow("SHOW CREATE TABLE `"+strings.ReplaceAll(n, "`", "``")+"`").Scan(&name, &create); err != nil {
			t.Fatal(err)
		}
		out[n] = create
	}
	return out
}

// decode parses HCL for this server's database and normalises it.
func (s *server) decode(t testing.TB, src string) *schema.Realm {
	t.Helper()
	src = strings.ReplaceAll(src, "$DB", s.name)
	r, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: s.d, Database: s.name},
		schemahcl.Source{Filename: "schema.hcl", Bytes: []byte(src)})
	if diags.HasErrors() {
		var b strings.Builder
		_ = schemahcl.WriteDiagnostics(&b, files, diags)
		t.Fatalf("decode: %s", b.String())
	}
	if err := s.d.Normalize(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// plan plans current → desired with the server's dialect.
func (s *server) plan(t testing.TB, cur, des *schema.Realm, allow bool) *planner.Plan {
	t.Helper()
	p, err := lint.New(cur, des, s.d, lint.Options{AllowDestructive: allow})
	if err != nil {
		t.Fatal(err)
	}
	return p.Plan
}

// describe lists changes as the text plan shows them.
func describe(changes []schema.Change) string {
	if len(changes) == 0 {
		return "no changes"
	}
	var b strings.Builder
	_ = report.WriteText(&b, &lint.Plan{Plan: &planner.Plan{Changes: changes}})
	return b.String()
}

func statements(p []planner.Statement) string {
	var b strings.Builder
	for _, s := range p {
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}

// count runs a counting query; "" counts nothing.
func (s *server) count(t testing.TB, query string) int {
	t.Helper()
	if query == "" {
		return 0
	}
	var n int
	if err := s.db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// unmanaged fills in what a desired realm leaves to the server (charsets,
// collations and engines left out, AUTO_INCREMENT counters, which only
// grow) from the inspected one, as the planner does, so that the two can be
// compared whole.
func unmanaged(des, got *schema.Realm) {
	ds, gs := des.Schemas[0], got.Schemas[0]
	if ds.Charset == "" {
		ds.Charset, ds.Collate = gs.Charset, gs.Collate
	}
	for _, t := range ds.Tables {
		g, ok := gs.Table(t.Name)
		if !ok {
			continue
		}
		if t.Charset == "" {
			t.Charset, t.Collate = g.Charset, g.Collate
		}
		if t.Engine == "" {
			t.Engine = g.Engine
		}
		t.AutoIncrement = max(t.AutoIncrement, g.AutoIncrement)
	}
}
