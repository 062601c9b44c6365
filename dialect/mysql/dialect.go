// Package mysql is schemactl's MySQL and MariaDB engine: opening
// connections, reading information_schema into the schema model in a fixed
// number of queries, normalising what the two servers report differently,
// rendering changes as ALTER TABLE statements, judging which column changes
// lose data, and the lock and session facts the executor relies on.
//
// Everything that differs between MySQL and MariaDB, or between versions,
// is asked of the Dialect's Flavor, which Open reads from the server.
package mysql

import (
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Dialect is the MySQL/MariaDB engine for one server and database. It holds
// no state besides its Flavor and database, and may be used concurrently.
type Dialect struct {
	Flavor Flavor
	// database is the one Open or Attach found the connection on, which
	// Inspect reads; "" for a dialect made by New.
	database string
}

// New returns the dialect for a server of the given flavor; Open detects it.
// New(Flavor{}) is the dialect without a server: it decodes, validates and
// encodes the schema language (schemactl validate --dialect mysql), whose
// rules do not depend on the flavor; normalising and rendering need the
// flavor of the server they are for.
func New(f Flavor) *Dialect { return &Dialect{Flavor: f} }

// Name reports the engine family.
func (*Dialect) Name() schema.Dialect { return schema.MySQL }

// QuoteIdent quotes an identifier with backticks, doubling embedded ones.
func (*Dialect) QuoteIdent(name string) string { return quoteIdent(name) }

func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteString writes s as a string literal the server reads back as s under
// any sql_mode but NO_BACKSLASH_ESCAPES, which BeginMigration turns off:
// quotes are doubled and backslashes escaped.
func quoteString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `''`, "\x00", `\0`)
	return "'" + r.Replace(s) + "'"
}

// ForeignKeysPinTypes reports that InnoDB refuses to change the type of a
// column a foreign key uses, on either end (errors 1832, 1833), even with
// foreign_key_checks off: the planner drops such keys around the change.
func (*Dialect) ForeignKeysPinTypes() bool { return true }
