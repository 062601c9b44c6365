package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/schemactl/schemactl/schema"
)

// Collations differ between servers: MySQL 8's utf8mb4_0900_* do not exist
// on MariaDB before 11.4.5 (which takes them as aliases of its
// uca1400_nopad collations), MariaDB's uca1400 ones not on MySQL. A schema
// naming a collation the server lacks fails at the first statement of its
// migration, so with a server at hand (the Flavor read by Open) Normalize
// refuses it first, naming one the server has. Without a server nothing is
// known and every name is accepted.

// mysql0900 maps MySQL 8's utf8mb4_0900_* collations to MariaDB's
// equivalents, best first. MySQL's 0900 collations are NO PAD, and so are
// all of these: a PAD SPACE collation compares 'a' and 'a ' equal, which
// makes rows that were distinct collide in a unique index.
var mysql0900 = map[string][]string{
	"utf8mb4_0900_ai_ci": {"utf8mb4_uca1400_nopad_ai_ci", "utf8mb4_unicode_520_nopad_ci", "utf8mb4_unicode_nopad_ci", "utf8mb4_general_nopad_ci"},
	"utf8mb4_0900_as_ci": {"utf8mb4_uca1400_nopad_as_ci", "utf8mb4_unicode_520_nopad_ci", "utf8mb4_unicode_nopad_ci"},
	"utf8mb4_0900_as_cs": {"utf8mb4_uca1400_nopad_as_cs", "utf8mb4_nopad_bin"},
	"utf8mb4_0900_bin":   {"utf8mb4_nopad_bin"},
}

// mariaDBUCA maps MariaDB's uca1400 collations, which MySQL lacks, to
// MySQL's closest ones of the same padding.
var mariaDBUCA = map[string][]string{
	"utf8mb4_uca1400_nopad_ai_ci": {"utf8mb4_0900_ai_ci"},
	"utf8mb4_uca1400_nopad_as_ci": {"utf8mb4_0900_as_ci"},
	"utf8mb4_uca1400_nopad_as_cs": {"utf8mb4_0900_as_cs"},
	"utf8mb4_uca1400_ai_ci":       {"utf8mb4_unicode_520_ci", "utf8mb4_unicode_ci"},
	"utf8mb4_uca1400_as_ci":       {"utf8mb4_unicode_520_ci", "utf8mb4_unicode_ci"},
	"utf8mb4_uca1400_as_cs":       {"utf8mb4_bin"},
}

// readCollations returns the full names of the server's collations.
// MariaDB ≥ 10.10 lists collations that apply to several character sets
// (uca1400_ai_ci) once in COLLATIONS; their full names, as a schema
// writes them, are in COLLATION_CHARACTER_SET_APPLICABILITY.
func readCollations(ctx context.Context, db *sql.DB, f Flavor) (map[string]bool, error) {
	query := `SELECT COLLATION_NAME FROM information_schema.COLLATIONS`
	if f.MinMariaDB(10, 10, 0) {
		query += ` UNION SELECT FULL_COLLATION_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY`
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names[canonicalCollation(name)] = true
	}
	return names, rows.Err()
}

// collationAlias returns the collation the server keeps for co: MariaDB
// (≥ 11.4.5) stores a utf8mb4_0900_* name it accepts as the uca1400_nopad
// collation it aliases, and reports that one, so the desired schema must
// say the same for a plan to converge.
func (f Flavor) collationAlias(co string) string {
	if !f.MariaDB {
		return co
	}
	alts, ok := mysql0900[co]
	if !ok || !f.aliases0900() {
		return co
	}
	if f.collationNames == nil || f.collationNames[alts[0]] {
		return alts[0]
	}
	return co
}

// checkCollation returns an error when the server is known and lacks the
// collation co, naming one it has instead.
func (f Flavor) checkCollation(co string) error {
	co = canonicalCollation(co)
	if co == "" || f.collationNames == nil || f.collationNames[co] || (f.MariaDB && mysql0900[co] != nil && f.aliases0900()) {
		return nil
	}
	msg := fmt.Sprintf("collation %s does not exist on %s (information_schema.COLLATIONS)", co, f)
	if alt := f.suggestCollation(co); alt != "" {
		msg += "; use " + alt + " instead"
		if _, is0900 := mysql0900[co]; is0900 && f.MariaDB {
			msg += " (a NO PAD collation, as " + co + " is: with PAD SPACE, 'a' and 'a ' would collide in a unique index)"
		}
	}
	return &CollationError{Collation: co, Msg: msg}
}

// suggestCollation returns the server's closest collation to co, or "".
func (f Flavor) suggestCollation(co string) string {
	alts := mysql0900[co]
	if !f.MariaDB {
		alts = mariaDBUCA[co]
	}
	if i := slices.IndexFunc(alts, func(a string) bool { return f.collationNames[a] }); i >= 0 {
		return alts[i]
	}
	if def := f.DefaultCollation(charsetOf(co)); f.collationNames[def] {
		return def
	}
	return ""
}

// CollationError is a collation the server does not have.
type CollationError struct {
	Collation string
	Msg       string
}

func (e *CollationError) Error() string { return e.Msg }

// checkCollations refuses the collations of s (schema, tables, columns)
// that the server lacks, naming the object and where it is declared.
func (d *Dialect) checkCollations(s *schema.Schema) error {
	if d.Flavor.collationNames == nil {
		return nil
	}
	if err := d.Flavor.checkCollation(s.Collate); err != nil {
		return fmt.Errorf("%sschema %q: %w", at(s.Pos), s.Name, err)
	}
	for _, t := range s.Tables {
		if err := d.Flavor.checkCollation(t.Collate); err != nil {
			return fmt.Errorf("%stable %q: %w", at(t.Pos), t.Name, err)
		}
		for _, c := range t.Columns {
			co := c.Collate
			if co == "" && (c.Type.Raw != "" || c.Type.Name != "") {
				co = parseType(typeSQL(c.Type)).collate
			}
			if err := d.Flavor.checkCollation(co); err != nil {
				return fmt.Errorf("%scolumn %q of table %q: %w", at(c.Pos), c.Name, t.Name, err)
			}
		}
	}
	return nil
}

// at prefixes a message with the place an object was declared, when it
// comes from a file.
func at(r schema.Range) string {
	if r.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d: ", r.Filename, r.Start.Line, r.Start.Column)
}
