package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrForeignKeyViolation is returned when a migration would leave rows that
// violate a foreign key; the migration is rolled back.
var ErrForeignKeyViolation = errors.New("foreign key check failed")

// A migration may start on a database whose rows already violate foreign
// keys (enforcement is per connection in SQLite, and off by default). It
// is blamed only for violations it adds, compared row by row: a migration
// that fixes one and adds another must fail, which totals cannot see.
//
// A violation is keyed by what survives a table rebuild (which copies the
// rows into a new table, maybe with new rowids) and a rename: its child and
// parent table, the foreign key's columns, and the values of the
// referencing columns. Renames are followed by root page: ALTER TABLE …
// RENAME keeps a table's b-tree, a rebuild keeps its name. Rows of a
// WITHOUT ROWID table cannot be fetched from what foreign_key_check reports
// (no rowid); they are counted per foreign key instead.

// fkViolation is one distinct key of violating rows, and how many rows
// have it.
type fkViolation struct {
	Child  string
	Parent string
	Key    string // the foreign key's columns and the row's values in them
	N      int
}

// fkBaseline is what a migration remembers of the database when it began,
// in its handle: the violations already there, which it is not blamed for.
type fkBaseline struct {
	// Err is the text of a check that failed as a whole ("foreign key
	// mismatch": a key whose parent has no matching unique key).
	Err        string
	Violations []fkViolation
	Roots      map[string]int64 // table name → root page
}

// baseline records the violations present as a migration begins, inside
// its transaction.
func baseline(ctx context.Context, conn *sql.Conn) (fkBaseline, error) {
	var b fkBaseline
	vs, err := violations(ctx, conn)
	var ke *keyError
	switch {
	case errors.As(err, &ke):
		return b, fmt.Errorf("record foreign key violations: %w", err)
	case err != nil:
		b.Err = err.Error()
	case len(vs) > 0:
		b.Violations = vs
		if b.Roots, err = rootPages(ctx, conn); err != nil {
			return b, err
		}
	}
	return b, nil
}

// violations lists the rows that violate a foreign key, one entry per key.
func violations(ctx context.Context, conn *sql.Conn) ([]fkViolation, error) {
	type group struct {
		child, parent string
		fk            int
	}
	rows, err := conn.QueryContext(ctx, `SELECT "table", parent, fkid FROM pragma_foreign_key_check GROUP BY 1, 2, 3`)
	if err != nil {
		return nil, err
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.child, &g.parent, &g.fk); err != nil {
			rows.Close()
			return nil, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []fkViolation
	for _, g := range groups {
		vs, err := groupViolations(ctx, conn, g.child, g.parent, g.fk)
		if err != nil {
			return nil, &keyError{child: g.child, fk: g.fk, err: err}
		}
		out = append(out, vs...)
	}
	return out, nil
}

// keyError is a failure to key the violations that foreign_key_check
// reported, as opposed to the check failing as a whole: it is never
// compared with a baseline.
type keyError struct {
	child string
	fk    int
	err   error
}

func (e *keyError) Error() string {
	return fmt.Sprintf("foreign key %d of %q: %v", e.fk, e.child, e.err)
}

func (e *keyError) Unwrap() error { return e.err }

// groupViolations keys the rows of child that violate its foreign key fk by
// the key's columns and the rows' values in them.
func groupViolations(ctx context.Context, conn *sql.Conn, child, parent string, fk int) ([]fkViolation, error) {
	cols, err := fkColumns(ctx, conn, child, fk)
	if err != nil {
		return nil, err
	}
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = "quote(t." + quoteIdent(c) + ")"
	}
	prefix := strings.Join(cols, "\x00") + "\x00\x00"
	query := fmt.Sprintf(`SELECT %s, count(*) FROM pragma_foreign_key_check(?) AS v
JOIN %s AS t ON t.rowid = v."rowid" WHERE v.fkid = ? GROUP BY 1`, strings.Join(vals, " || ',' || "), quoteIdent(child))
	var wr bool
	if err := conn.QueryRowContext(ctx, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", child).Scan(&wr); err != nil {
		return nil, err
	}
	if wr {
		// Rows without a rowid cannot be fetched from what the check
		// reports: they are counted under an empty value list.
		query = `SELECT '', count(*) FROM pragma_foreign_key_check(?) WHERE fkid = ?`
	}
	rows, err := conn.QueryContext(ctx, query, child, fk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fkViolation
	for rows.Next() {
		v := fkViolation{Child: child, Parent: parent}
		if err := rows.Scan(&v.Key, &v.N); err != nil {
			return nil, err
		}
		v.Key = prefix + v.Key
		out = append(out, v)
	}
	return out, rows.Err()
}

// fkColumns are the referencing columns of child's foreign key fk, in
// order.
func fkColumns(ctx context.Context, conn *sql.Conn, child string, fk int) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT "from" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq`, child, fk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func rootPages(ctx context.Context, conn *sql.Conn) (map[string]int64, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name, rootpage FROM main.sqlite_schema WHERE type = 'table'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var n string
		var p int64
		if err := rows.Scan(&n, &p); err != nil {
			return nil, err
		}
		m[n] = p
	}
	return m, rows.Err()
}

// renames maps the tables of before that were renamed since, by root page:
// a name that is gone, whose b-tree now has a name that is new.
func renames(before, after map[string]int64) map[string]string {
	byRoot := map[int64]string{}
	for n, p := range after {
		byRoot[p] = n
	}
	m := map[string]string{}
	for n, p := range before {
		if _, still := after[n]; still {
			continue
		}
		if to, ok := byRoot[p]; ok {
			if _, existed := before[to]; !existed {
				m[n] = to
			}
		}
	}
	return m
}

// foreignKeyCheck fails when rows violate a foreign key that did not
// before the migration, naming the tables. A check that fails as a whole
// fails the migration unless it failed the same way before.
func foreignKeyCheck(ctx context.Context, conn *sql.Conn, before fkBaseline) error {
	after, err := violations(ctx, conn)
	if err != nil {
		if before.Err != "" && before.Err == err.Error() {
			return nil
		}
		return fmt.Errorf("foreign key check: %w", err)
	}
	if len(after) == 0 {
		return nil
	}
	old := map[fkViolation]int{} // N zero: the key
	if len(before.Violations) > 0 {
		roots, err := rootPages(ctx, conn)
		if err != nil {
			return fmt.Errorf("foreign key check: %w", err)
		}
		moved := renames(before.Roots, roots)
		for _, v := range before.Violations {
			n := v.N
			v.Child, v.Parent, v.N = cmp.Or(moved[v.Child], v.Child), cmp.Or(moved[v.Parent], v.Parent), 0
			old[v] += n
		}
	}
	type pair struct{ child, parent string }
	added := map[pair]int{}
	total := 0
	for _, v := range after {
		n := v.N
		v.N = 0
		if extra := n - old[v]; extra > 0 {
			added[pair{v.Child, v.Parent}] += extra
			total += extra
		}
	}
	if total == 0 {
		return nil
	}
	var found []string
	for p, n := range added {
		found = append(found, fmt.Sprintf("%d row(s) of %q reference missing rows of %q", n, p.child, p.parent))
	}
	slices.Sort(found)
	return fmt.Errorf("%w: %d new violation(s): %s", ErrForeignKeyViolation, total, strings.Join(found, "; "))
}
