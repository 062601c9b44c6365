package mysql

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// newType is the type a MODIFY or CHANGE gives a column, as far as the
// preflight reads it.
type newType struct {
	name     string   // lower case: varchar, decimal, enum, …
	args     []string // the arguments as written: numbers, or quoted strings
	unsigned bool
	notNull  bool
	charset  string // CHARACTER SET, as written; "" when not given
	collate  string // COLLATE, as written; "" when not given
	text     string // the type as written, for messages
}

// readType reads a column definition: its type, and whether it is NOT
// NULL. Words inside parentheses (a CHECK, a generated column's
// expression) do not count.
func readType(def []sqltext.Token) (newType, bool) {
	if len(def) == 0 || def[0].Kind != sqltext.Word {
		return newType{}, false
	}
	nt := newType{name: strings.ToLower(def[0].Text)}
	i := 1
	if i < len(def) && def[i].IsOp("(") {
		end := groupEnd(def[i:])
		if end < 0 {
			return newType{}, false
		}
		for _, t := range def[i+1 : i+end] {
			if !t.IsOp(",") {
				nt.args = append(nt.args, t.Text)
			}
		}
		i += end + 1
	}
	var text []string
	for _, t := range def[:i] {
		text = append(text, t.Text)
	}
	nt.text = strings.Join(text, "")
	depth := 0
	for j := i; j < len(def); j++ {
		t := def[j]
		switch {
		case t.IsOp("("):
			depth++
		case t.IsOp(")"):
			depth--
		case depth > 0:
		case t.Is("UNSIGNED"):
			nt.unsigned = true
		case (t.Is("CHARSET") || t.Is("SET") && j > 0 && def[j-1].Is("CHARACTER")) && j+1 < len(def):
			nt.charset = def[j+1].Value
		case t.Is("COLLATE") && j+1 < len(def):
			nt.collate = def[j+1].Value
		case t.Is("NOT") && j+1 < len(def) && def[j+1].Is("NULL"):
			nt.notNull = true
		}
	}
	return nt, true
}

var intRanges = map[string][2]string{ // signed min, max; unsigned max
	"tinyint":   {"-128", "127"},
	"smallint":  {"-32768", "32767"},
	"mediumint": {"-8388608", "8388607"},
	"int":       {"-2147483648", "2147483647"},
	"integer":   {"-2147483648", "2147483647"},
	"bigint":    {"-9223372036854775808", "9223372036854775807"},
}

var uintMax = map[string]string{
	"tinyint": "255", "smallint": "65535", "mediumint": "16777215",
	"int": "4294967295", "integer": "4294967295", "bigint": "18446744073709551615",
}

// textBytes are the byte limits of the TEXT and BLOB types.
var textBytes = map[string]int64{
	"tinytext": 255, "text": 65535, "mediumtext": 16777215,
	"tinyblob": 255, "blob": 65535, "mediumblob": 16777215,
}

// modify checks a column that MODIFY or CHANGE redefines: the NULLs a NOT
// NULL column refuses (with or without a default: strict mode refuses the
// ALTER, it fills nothing), the values a narrower type refuses, and, as a
// warning, the values a smaller DECIMAL scale rounds. t is the table as
// it was before the statement.
func (w *walker) modify(t *tableState, col string, def []sqltext.Token) error {
	r := t.col(col)
	if t.kind != live || r.live == "" {
		return nil
	}
	nt, ok := readType(def)
	if !ok {
		return nil
	}
	old, err := w.catalog(t, r.live)
	if err != nil || old == nil {
		return err
	}
	e := r.sql("")
	rows := func(cond, problem string, warning bool) {
		w.add(check{
			warning: warning,
			problem: fmt.Sprintf("rows of %s %s", quoteIdent(t.name), problem),
			count:   "SELECT COUNT(*) FROM " + t.ref() + " WHERE " + cond,
			sample:  "SELECT * FROM " + t.ref() + " WHERE " + cond + " LIMIT 1",
		})
	}
	if nt.notNull && old.nullable {
		rows(e+" IS NULL", fmt.Sprintf("with NULL in %s, which becomes NOT NULL", quoteIdent(col)), false)
	}
	narrowing(col, e, nt, old, rows)
	if cs, oldCs, ok := newCharset(nt, old); ok && !strings.EqualFold(cs, oldCs) {
		// Strict mode refuses a value the new character set cannot
		// hold ("Incorrect string value"): one that does not come back
		// the same from it.
		rows(fmt.Sprintf("BINARY %s <> BINARY CONVERT(CONVERT(%s USING %s) USING %s)", e, e, cs, oldCs),
			fmt.Sprintf("with a value of %s that character set %s cannot hold", quoteIdent(col), cs), false)
	}
	return w.recollated(t, r.live, col, nt, old)
}

// newCharset is the character set a MODIFY or CHANGE gives a character
// column, and the one it has; ok is false when the statement names none
// (or the column has none).
func newCharset(nt newType, old *catalogColumn) (cs, oldCs string, ok bool) {
	if !old.collation.Valid || nt.charset == "" && nt.collate == "" {
		return "", "", false
	}
	oldCs, _, _ = strings.Cut(old.collation.String, "_")
	cs = nt.charset
	if cs == "" {
		cs, _, _ = strings.Cut(nt.collate, "_")
	}
	return cs, oldCs, true
}

// recollated checks the live unique keys over a column whose character
// set or collation the statement changes: values distinct under the old
// collation may be equal under the new one ('a' and 'A' under a _ci
// collation). Keys the same ALTER drops are left out.
func (w *walker) recollated(t *tableState, liveCol, col string, nt newType, old *catalogColumn) error {
	// A character set without a collation gives the column the set's
	// default collation, which CONVERT gives too.
	charset, _, ok := newCharset(nt, old)
	if !ok || strings.EqualFold(nt.collate, old.collation.String) {
		return nil
	}
	rows, err := w.conn.QueryContext(w.ctx, `SELECT INDEX_NAME, COALESCE(COLUMN_NAME, ''), COALESCE(SUB_PART, 0)
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(NULLIF(?, ''), DATABASE()) AND TABLE_NAME = ? AND NON_UNIQUE = 0
ORDER BY INDEX_NAME, SEQ_IN_INDEX`, t.schema, t.name)
	if err != nil {
		return fmt.Errorf("read the unique keys of table %q: %w", t.name, err)
	}
	defer rows.Close()
	keys := map[string][]part{}
	var order []string
	for rows.Next() {
		var name, c string
		var sub int64
		if err := rows.Scan(&name, &c, &sub); err != nil {
			return fmt.Errorf("read the unique keys of table %q: %w", t.name, err)
		}
		if _, seen := keys[name]; !seen {
			order = append(order, name)
		}
		p := part{col: c}
		if sub > 0 {
			p.prefix = strconv.FormatInt(sub, 10)
		}
		if strings.EqualFold(c, liveCol) {
			p.convert, p.collate = charset, nt.collate
		}
		keys[name] = append(keys[name], p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the unique keys of table %q: %w", t.name, err)
	}
	how := fmt.Sprintf("under the new collation of %s", quoteIdent(col))
	for _, name := range order {
		ps := keys[name]
		over := slices.ContainsFunc(ps, func(p part) bool { return p.convert != "" })
		functional := slices.ContainsFunc(ps, func(p part) bool { return p.col == "" })
		if !over || functional || w.dropping[strings.ToLower(name)] {
			continue
		}
		w.uniqueParts(t, name, ps, name == "PRIMARY", how)
	}
	return nil
}

// narrowing adds, through rows, the checks of the values a column of type
// old refuses (or, warning, changes) as type nt; e is the column's
// expression.
func narrowing(col, e string, nt newType, old *catalogColumn, rows func(cond, problem string, warning bool)) {
	cannot := fmt.Sprintf("with a value of %s that %s cannot hold", quoteIdent(col), nt.text)
	switch {
	case nt.name == "char" || nt.name == "varchar" || nt.name == "nchar" || nt.name == "nvarchar":
		n := argInt(nt.args, 0, 1)
		if isChar(old.dataType) && old.maxLen.Valid && old.maxLen.Int64 <= n {
			return
		}
		rows(fmt.Sprintf("CHAR_LENGTH(%s) > %d", e, n), cannot, false)
	case nt.name == "binary" || nt.name == "varbinary":
		n := argInt(nt.args, 0, 1)
		if old.maxLen.Valid && old.maxLen.Int64 <= n {
			return
		}
		rows(fmt.Sprintf("LENGTH(%s) > %d", e, n), cannot, false)
	case textBytes[nt.name] > 0:
		n := textBytes[nt.name]
		if old.maxLen.Valid && old.maxLen.Int64 <= n && (isChar(old.dataType) || old.dataType == nt.name) {
			if old.dataType == nt.name || strings.HasSuffix(old.dataType, "text") || strings.HasSuffix(old.dataType, "blob") {
				return
			}
		}
		rows(fmt.Sprintf("LENGTH(%s) > %d", e, n), cannot, false)
	case intRanges[nt.name] != [2]string{}:
		if _, ok := intRanges[old.dataType]; !ok {
			return // from a fraction or a string: not checked
		}
		lo, hi := intRanges[nt.name][0], intRanges[nt.name][1]
		if nt.unsigned {
			lo, hi = "0", uintMax[nt.name]
		}
		rows(fmt.Sprintf("(%s < %s OR %s > %s)", e, lo, e, hi), cannot, false)
	case nt.name == "decimal" || nt.name == "numeric" || nt.name == "dec" || nt.name == "fixed":
		if old.dataType != "decimal" && intRanges[old.dataType] == [2]string{} {
			return
		}
		p, s := argInt(nt.args, 0, 10), argInt(nt.args, 1, 0)
		limit := "1" + strings.Repeat("0", int(max(p-s, 0)))
		oldScale := int64(0)
		if old.scale.Valid {
			oldScale = old.scale.Int64
		}
		cond := fmt.Sprintf("ABS(ROUND(%s, %d)) >= %s", e, s, limit)
		if nt.unsigned {
			cond = fmt.Sprintf("(%s OR %s < 0)", cond, e)
		}
		rows(cond, cannot, false)
		if oldScale > s {
			rows(fmt.Sprintf("%s <> ROUND(%s, %d)", e, e, s),
				fmt.Sprintf("with a value of %s that %s rounds to %d decimal places", quoteIdent(col), nt.text, s), true)
		}
	case nt.name == "enum":
		if len(nt.args) == 0 {
			return
		}
		if old.dataType == "enum" && !lostValue(old.columnType, nt.args) {
			return
		}
		rows(fmt.Sprintf("%s NOT IN (%s)", e, strings.Join(nt.args, ", ")),
			fmt.Sprintf("with a value of %s that %s lacks", quoteIdent(col), nt.text), false)
	}
}

func isChar(dataType string) bool {
	return dataType == "char" || dataType == "varchar"
}

// argInt is the type argument at i as a number, or def.
func argInt(args []string, i int, def int64) int64 {
	if i >= len(args) {
		return def
	}
	n, err := strconv.ParseInt(args[i], 10, 64)
	if err != nil {
		return def
	}
	return n
}

// lostValue reports whether an ENUM column type ("enum('a','b')") has a
// value the new list of quoted values lacks, compared as written: a value
// that only changes case is checked too, which costs a scan, not a wrong
// answer.
func lostValue(columnType string, values []string) bool {
	toks, err := lexText(columnType)
	if err != nil {
		return true
	}
	keep := map[string]bool{}
	for _, v := range values {
		if vt, err := lexText(v); err == nil && len(vt) == 1 {
			keep[vt[0].Value] = true
		}
	}
	for _, t := range toks {
		if t.Kind == sqltext.String && !keep[t.Value] {
			return true
		}
	}
	return false
}
