package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// countingQuerier counts the queries Inspect runs.
type countingQuerier struct {
	q Querier
	n int
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n++
	return c.q.QueryContext(ctx, query, args...)
}

// fmtTable returns the DDL of a table t<i> with ncol columns, an index, a
// foreign key to the previous table and a check.
func fmtTable(i, ncol int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE t%04d (id INTEGER PRIMARY KEY", i)
	for c := range ncol {
		fmt.Fprintf(&b, ", c%02d VARCHAR(%d) NOT NULL DEFAULT 'x'", c, 10+c)
	}
	if i > 0 {
		fmt.Fprintf(&b, ", parent_id INT REFERENCES t%04d (id) ON DELETE CASCADE", i-1)
	}
	b.WriteString(", CONSTRAINT ck CHECK (id > 0));")
	fmt.Fprintf(&b, "CREATE INDEX t%04d_c00 ON t%04d (c00)", i, i)
	return b.String()
}

// BenchmarkInspect1000 inspects 1,000 tables of 20 columns each.
// Run with: go test -run '^$' -bench Inspect1000 ./dialect/sqlite
func BenchmarkInspect1000(b *testing.B) {
	db := openTestDB(b)
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		if _, err := tx.Exec(fmtTable(i, 20)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	d := New()
	b.ResetTimer()
	for b.Loop() {
		r, err := d.Inspect(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(r.Schemas[0].Tables); n != 1000 {
			b.Fatalf("%d tables", n)
		}
	}
}
