package schemahcl

import (
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
)

// The dialects the tests decode for: MySQL without a server, as schemactl
// validate --dialect mysql has it.
var (
	sqliteDialect Dialect = sqlite.New()
	mysqlDialect  Dialect = mysql.New(mysql.Flavor{})
)

// dialectFor returns the dialect of a name the test tables use.
func dialectFor(dl schema.Dialect) Dialect {
	if dl == schema.MySQL {
		return mysqlDialect
	}
	return sqliteDialect
}
