package sqlite

import "github.com/schemactl/schemactl/schema"

// Language describes SQLite to the schema language: its types, the
// engine-specific attributes it has, and what to say about MySQL's.
func (*Dialect) Language() *schema.Language { return language }

var language = &schema.Language{
	Engine:     "SQLite",
	SchemaName: "main",
	Types:      registry,
	ForeignTypes: map[string]string{
		"enum": "use text with a check", "set": "use text with a check",
		"bit": "use integer", "year": "use integer",
		"tinytext": "use text", "mediumtext": "use text", "longtext": "use text",
		"tinyblob": "use blob", "mediumblob": "use blob", "longblob": "use blob",
		"binary": "use blob", "varbinary": "use blob", "inet4": "use text", "inet6": "use text",
		"geometry": "", "point": "", "linestring": "", "polygon": "", "multipoint": "",
		"multilinestring": "", "multipolygon": "", "geometrycollection": "",
	},
	// strict, without_rowid and deferred keep what CREATE TABLE says, so
	// that a rebuild does not lose it.
	Attrs: []string{"table.strict", "table.without_rowid", "index.where", "foreign_key.deferred"},
	// Atlas applies files with comments to SQLite, which has nowhere to
	// keep them: a warning, not an error.
	Ignored: []string{"schema.comment", "table.comment", "column.comment"},
	ForeignAttrs: map[string]string{
		"schema.charset": "MySQL", "schema.collate": "MySQL", "schema.collation": "MySQL",
		"table.charset": "MySQL", "table.collate": "MySQL", "table.collation": "MySQL", "table.engine": "MySQL",
		"table.auto_increment": "MySQL", "column.unsigned": "MySQL", "column.on_update": "MySQL",
		"column.charset": "MySQL", "primary_key.type": "MySQL", "primary_key.comment": "MySQL",
		"primary_key.on": "MySQL", "index.type": "MySQL", "index.parser": "MySQL", "index.comment": "MySQL",
		"on.prefix": "MySQL", "check.enforced": "MySQL",
	},
	FoldTableNames:   true,
	CollateAnyType:   true,
	ASCIIFold:        true,
	SchemaIndexNames: true,
	// A rowid table's key other than the rowid alias takes NULL (an old
	// SQLite bug kept for compatibility), and inspect reports it so.
	NullableKeys: true,
}
