package schemagen

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// Rows are rows to insert into one table.
type Rows struct {
	Table   string
	Columns []string
	Values  [][]any // per row, per column: int64, string, []byte or nil
}

// textSuffixes follow "r<n>" in generated strings: each starts with a
// character that is not a digit, so that values stay distinct (also without
// regard to case and trailing blanks) from row to row.
var textSuffixes = []string{" plain", " it's", " semi;colon", ` "dq"`, " `bt`", " -- x", " /* c */", " ünï", "-Mixed", " %_%", ` back\slash`}

// Rows returns n rows (n ≥ 1) for every table of the current realm. Every
// column is set except generated ones. The rows satisfy NOT NULL, unique
// indexes and primary keys (the values of a column differ from row to row),
// the generator's checks and the foreign keys (referencing columns copy the
// key of some row of the parent, or are NULL), so that inserted in one
// transaction with foreign keys checked at commit, they are all accepted.
func (g *Gen) Rows(n int) []*Rows {
	n = max(n, 1)
	vals := map[int][][]any{} // table id → rows → values by column position
	for _, t := range g.m.tables {
		rows := make([][]any, n)
		for r := range rows {
			rows[r] = make([]any, len(t.cols))
			for k, c := range t.cols {
				rows[r][k] = g.value(t, c, r, k)
			}
		}
		vals[t.id] = rows
	}
	// Foreign key columns take the key of a parent row, all or none.
	for _, t := range g.m.tables {
		for _, f := range t.fks {
			p := g.m.table(f.ref)
			for r := range n {
				pr := g.intn(n)
				// All the columns of a key are created together, with one
				// nullability.
				null := t.col(f.cols[0]).null && g.chance(0.25)
				for k, id := range f.cols {
					pos := slices.IndexFunc(t.cols, func(c *column) bool { return c.id == id })
					ppos := slices.IndexFunc(p.cols, func(c *column) bool { return c.id == f.refCols[k] })
					v := vals[p.id][pr][ppos]
					if null {
						v = nil
					}
					vals[t.id][r][pos] = v
				}
			}
		}
	}
	var out []*Rows
	for _, t := range g.m.tables {
		rs := &Rows{Table: t.name}
		var keep []int
		for k, c := range t.cols {
			if c.gen == nil {
				rs.Columns = append(rs.Columns, c.name)
				keep = append(keep, k)
			}
		}
		for _, row := range vals[t.id] {
			vs := make([]any, len(keep))
			for i, k := range keep {
				vs[i] = row[k]
			}
			rs.Values = append(rs.Values, vs)
		}
		out = append(out, rs)
	}
	return out
}

// value is the value of column c (at position k) in row r, before foreign
// keys are resolved.
func (g *Gen) value(t *table, c *column, r, k int) any {
	if c.gen != nil {
		return nil
	}
	// Key columns are never NULL, so that a foreign key can copy them.
	if c.null && g.chance(0.2) && !t.inKey(c.id) {
		return nil
	}
	s := g.specOf(c, t.strict)
	switch c.class {
	case classInt:
		if s.flag {
			return int64(r % 2)
		}
		// Never 0: MySQL writes the next AUTO_INCREMENT value for a 0.
		return int64(r*10 + k%10 + 1)
	case classText:
		if g.sqlite() {
			return fmt.Sprintf("r%d%s", r, pick(g, textSuffixes))
		}
		return fmt.Sprintf("r%d%s", r, pick(g, textSuffixes[:8]))
	case classBlob:
		return []byte{byte(r), 0, 0xff, byte(k)}
	case classTime:
		return timeValue(c.typ, r, k)
	case classEnum:
		return c.typ.Values[r%len(c.typ.Values)]
	}
	return nil
}

// Insert inserts rows in one transaction (one connection on MySQL), with
// foreign keys checked only at the end on SQLite and not at all on MySQL,
// since rows of a cycle of tables cannot go in one table at a time.
func Insert(ctx context.Context, db *sql.DB, d schema.Dialect, rows []*Rows) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if d == schema.MySQL {
		if _, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SET FOREIGN_KEY_CHECKS = 1")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d == schema.SQLite {
		if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
	}
	for _, rs := range rows {
		cols := make([]string, len(rs.Columns))
		marks := make([]string, len(rs.Columns))
		for i, c := range rs.Columns {
			cols[i], marks[i] = QuoteIdent(c), "?"
		}
		q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", QuoteIdent(rs.Table), strings.Join(cols, ", "), strings.Join(marks, ", "))
		for _, vs := range rs.Values {
			if _, err := tx.ExecContext(ctx, q, vs...); err != nil {
				return fmt.Errorf("%s %v: %w", q, vs, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("insert rows: commit: %w", err)
	}
	return nil
}

// QuoteIdent quotes a name with backticks, which both engines accept,
// doubling embedded ones.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// Select reads the given columns of every row of a table, each value in
// canonical form (see Canon), in no particular order.
func Select(ctx context.Context, db *sql.DB, table string, cols []string) ([][]string, error) {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = QuoteIdent(c)
	}
	list := strings.Join(quoted, ", ")
	if len(cols) == 0 {
		list = "1"
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s", list, QuoteIdent(table)))
	if err != nil {
		return nil, fmt.Errorf("select from %q: %w", table, err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]any, max(len(cols), 1)) // "1" when there are no columns
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(cols))
		for i := range cols {
			parts[i] = Canon(vals[i])
		}
		out = append(out, parts)
	}
	return out, rows.Err()
}

// Canon writes a value read from either engine in one way, so that a value
// that only changed representation (3 in an INTEGER column, 3.0 after the
// column became REAL, '3' after it became TEXT) compares equal.
func Canon(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return canonFloat(v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05.999999")
	case []byte:
		// Drivers return bytes for text (MySQL) and strings for blobs
		// (modernc, by declared type): compare the contents.
		return canonString(string(v))
	case string:
		return canonString(v)
	}
	return fmt.Sprint(v)
}

func canonString(s string) string {
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !strings.ContainsAny(s, "xXnN") {
		return canonFloat(f)
	}
	return strconv.Quote(s)
}

func canonFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// CanonDefault is the canonical value a literal default puts into a row.
func CanonDefault(d *schema.Default) string {
	if d == nil {
		return "NULL"
	}
	switch d.Kind {
	case schema.DefaultBool:
		if d.Value == "true" {
			return "1"
		}
		return "0"
	case schema.DefaultString, schema.DefaultNumber:
		return canonString(d.Value)
	}
	return d.Value
}
