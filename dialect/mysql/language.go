package mysql

import "github.com/schemactl/schemactl/schema"

// Language describes MySQL and MariaDB to the schema language: their
// types, the engine-specific attributes they have, and what to say about
// SQLite's. It does not depend on the Flavor: New(Flavor{}) serves to
// decode and validate a document without a server.
func (*Dialect) Language() *schema.Language { return language }

var language = &schema.Language{
	Engine:     "MySQL",
	SchemaName: "app",
	Types:      types,
	ForeignTypes: map[string]string{
		"integer": "use int", "int2": "use smallint", "int8": "use bigint",
		"uint64": "use bigint with unsigned = true", "unsigned big int": "use bigint with unsigned = true",
		"double precision": "use double", "character": "use char", "nchar": "use char",
		"nvarchar": "use varchar(n)", "varying character": "use varchar(n)", "native character": "use char",
		"clob": "use longtext", "jsonb": "use json", "uuid": `use char(36), or sql("uuid") on MariaDB >= 10.7`,
		"any": "",
	},
	Attrs: []string{
		"schema.charset", "schema.collate", "schema.collation", "schema.comment",
		"table.comment", "table.charset", "table.collate", "table.collation", "table.engine", "table.auto_increment",
		"column.unsigned", "column.on_update", "column.charset", "column.comment",
		"primary_key.type", "primary_key.comment", "primary_key.on",
		"index.type", "index.parser", "index.comment", "on.prefix", "check.enforced",
	},
	ForeignAttrs: map[string]string{
		"table.strict": "SQLite", "table.without_rowid": "SQLite", "index.where": "SQLite", "foreign_key.deferred": "SQLite",
	},
	StorageEngines:        []string{"InnoDB", "MyISAM", "Memory", "CSV", "NDB"},
	StoredKeywords:        []string{"PERSISTENT"},
	GeneratedKeys:         true,
	SchemaForeignKeyNames: true,
}
