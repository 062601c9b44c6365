package mysql

import (
	"fmt"
	"strconv"
	"strings"
)

// Flavor is what schemactl knows about the server it talks to: MySQL or
// MariaDB, the version, and the defaults that decide how an inspected
// schema reads back. Every fact that differs between servers is a method
// here, so the rest of the package asks the Flavor instead of comparing
// versions. Open fills it in from the server; the zero Flavor is an
// unknown MySQL of version 0, for which every feature test is false.
//
// The maps are filled once by Open and never written afterwards, so a Flavor
// may be copied and shared.
type Flavor struct {
	MariaDB             bool
	Major, Minor, Patch int
	// Version is the server's VERSION() text.
	Version string

	// Charset and Collate are the defaults of the database the URL names
	// (@@character_set_database, @@collation_database): what a table gets
	// when it does not say.
	Charset, Collate string
	// LowerCaseTableNames is @@lower_case_table_names: 1 stores table names
	// in lower case, so desired names are folded before they are compared.
	LowerCaseTableNames int
	// ImplicitTimestampDefaults is set when @@explicit_defaults_for_timestamp
	// is off (MySQL 5.7, MariaDB before 10.10): the server then gives the
	// first timestamp column of a table, when NOT NULL without DEFAULT or ON
	// UPDATE, DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, and the
	// other NOT NULL timestamp columns without DEFAULT a zero default.
	ImplicitTimestampDefaults bool
	// Galera is set when @@GLOBAL.wsrep_on is on: the server is a node of
	// a Galera cluster, where a session lock (GET_LOCK) holds on one node
	// only and reads may lag the cluster unless wsrep_sync_wait says so.
	Galera bool

	// collations maps a character set to its default collation, and
	// maxLen a character set to its bytes per character, as the server
	// reports them; nil falls back to built-in tables.
	collations map[string]string
	maxLen     map[string]int
	// collationNames holds every collation the server has (see
	// readCollations); nil when no server was asked, and then no name is
	// refused.
	collationNames map[string]bool
}

// ParseFlavor reads a VERSION() text such as "8.0.36",
// "10.11.19-MariaDB-0+deb12u1" or the "5.5.5-10.4.8-MariaDB" some
// MariaDB releases send in the handshake.
func ParseFlavor(version string) Flavor {
	f := Flavor{Version: version}
	v := version
	f.MariaDB = strings.Contains(strings.ToLower(v), "mariadb")
	if f.MariaDB {
		v = strings.TrimPrefix(v, "5.5.5-")
	}
	nums := strings.SplitN(strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '+' || r == ' ' })[0], ".", 3)
	parts := []*int{&f.Major, &f.Minor, &f.Patch}
	for i, n := range nums {
		digits := strings.TrimRightFunc(n, func(r rune) bool { return r < '0' || r > '9' })
		*parts[i], _ = strconv.Atoi(digits)
	}
	return f
}

// String names the server, e.g. "MariaDB 10.11.19".
func (f Flavor) String() string {
	name := "MySQL"
	if f.MariaDB {
		name = "MariaDB"
	}
	return fmt.Sprintf("%s %d.%d.%d", name, f.Major, f.Minor, f.Patch)
}

// atLeast compares the version with major.minor.patch.
func (f Flavor) atLeast(major, minor, patch int) bool {
	if f.Major != major {
		return f.Major > major
	}
	if f.Minor != minor {
		return f.Minor > minor
	}
	return f.Patch >= patch
}

// MinMySQL reports whether the server is MySQL of at least the version.
func (f Flavor) MinMySQL(major, minor, patch int) bool {
	return !f.MariaDB && f.atLeast(major, minor, patch)
}

// MinMariaDB reports whether the server is MariaDB of at least the version.
func (f Flavor) MinMariaDB(major, minor, patch int) bool {
	return f.MariaDB && f.atLeast(major, minor, patch)
}

// RenameColumn: ALTER TABLE … RENAME COLUMN (else CHANGE COLUMN).
func (f Flavor) RenameColumn() bool { return f.MinMySQL(8, 0, 0) || f.MinMariaDB(10, 5, 2) }

// RenameIndex: ALTER TABLE … RENAME INDEX (else drop and add).
func (f Flavor) RenameIndex() bool { return f.MinMySQL(5, 7, 0) || f.MinMariaDB(10, 5, 2) }

// ExpressionIndexes: functional key parts.
func (f Flavor) ExpressionIndexes() bool { return f.MinMySQL(8, 0, 13) }

// DescendingIndexes: DESC key parts are stored (older servers parse and
// ignore them).
func (f Flavor) DescendingIndexes() bool { return f.MinMySQL(8, 0, 0) || f.MinMariaDB(10, 8, 0) }

// CheckNotEnforced: CHECK … NOT ENFORCED, and the ENFORCED column of
// information_schema.TABLE_CONSTRAINTS.
func (f Flavor) CheckNotEnforced() bool { return f.MinMySQL(8, 0, 16) }

// Checks: CHECK constraints are enforced and listed in
// information_schema.CHECK_CONSTRAINTS.
func (f Flavor) Checks() bool { return f.MinMySQL(8, 0, 16) || f.MinMariaDB(10, 2, 1) }

// NativeJSON: JSON is its own type. MariaDB stores it as LONGTEXT with a
// json_valid check and utf8mb4_bin.
func (f Flavor) NativeJSON() bool { return !f.MariaDB }

// GeneratedNull: a generated column may say NULL or NOT NULL. MariaDB
// rejects both; its generated columns are always nullable.
func (f Flavor) GeneratedNull() bool { return !f.MariaDB }

// TextLiteralDefaults: TEXT, BLOB, JSON and geometry columns take literal
// defaults. MySQL takes only expression defaults there, DEFAULT ('x').
func (f Flavor) TextLiteralDefaults() bool { return f.MariaDB }

// DropCheckClause is the ALTER TABLE clause that drops a check constraint.
func (f Flavor) DropCheckClause() string {
	if f.MariaDB {
		return "DROP CONSTRAINT"
	}
	return "DROP CHECK"
}

// Roles: CURRENT_ROLE() exists (MariaDB ≥ 10.0.5, MySQL ≥ 8.0).
func (f Flavor) Roles() bool { return f.MinMySQL(8, 0, 0) || f.MinMariaDB(10, 0, 5) }

// SchemaComment: databases have comments (MariaDB ≥ 10.5).
func (f Flavor) SchemaComment() bool { return f.MinMariaDB(10, 5, 0) }

// aliases0900 reports whether the server accepts MySQL's utf8mb4_0900_*
// names: it lists them, or is MariaDB ≥ 11.4.5, which takes them as
// aliases whether or not its catalog lists them.
func (f Flavor) aliases0900() bool {
	return f.collationNames["utf8mb4_0900_ai_ci"] || f.MinMariaDB(11, 4, 5)
}

// DefaultCollation returns the default collation of a character set.
func (f Flavor) DefaultCollation(charset string) string {
	charset = canonicalCharset(charset)
	if c, ok := f.collations[charset]; ok {
		return c
	}
	switch {
	case charset == "" || charset == "binary":
		return charset
	case charset == "latin1":
		return "latin1_swedish_ci"
	case charset == "utf8mb4" && f.MinMySQL(8, 0, 0):
		return "utf8mb4_0900_ai_ci"
	}
	// Without the server's table: <charset>_general_ci is the default of
	// every character set in common use.
	return charset + "_general_ci"
}

// MaxLen returns the bytes per character of a character set (4 for
// utf8mb4), used to size TEXT(n) and to compare string capacities.
func (f Flavor) MaxLen(charset string) int {
	charset = canonicalCharset(charset)
	if n, ok := f.maxLen[charset]; ok {
		return n
	}
	switch charset {
	case "utf8mb4", "utf16", "utf16le", "utf32", "gb18030":
		return 4
	case "utf8mb3", "ujis", "eucjpms":
		return 3
	case "ucs2", "big5", "sjis", "euckr", "gb2312", "gbk", "cp932":
		return 2
	}
	return 1
}

// charsetOf returns the character set of a collation: every collation name
// starts with its character set and an underscore, except binary.
func charsetOf(collation string) string {
	collation = canonicalCollation(collation)
	if cs, _, ok := strings.Cut(collation, "_"); ok {
		return cs
	}
	return collation
}

// canonicalCharset spells a character set as current servers report it:
// lower case, utf8 as utf8mb3.
func canonicalCharset(cs string) string {
	cs = strings.ToLower(strings.TrimSpace(cs))
	if cs == "utf8" {
		return "utf8mb3"
	}
	return cs
}

// canonicalCollation spells a collation as current servers report it.
func canonicalCollation(c string) string {
	c = strings.ToLower(strings.TrimSpace(c))
	if rest, ok := strings.CutPrefix(c, "utf8_"); ok {
		return "utf8mb3_" + rest
	}
	return c
}
