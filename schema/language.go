package schema

// TypeClass groups types by the values and attributes they take. A dialect
// gives each type of its registry a class; the schema language and the
// dialect's own rules (defaults, index prefixes, narrowing) go by it.
type TypeClass int

const (
	ClassOther TypeClass = iota // none of the below: uuid, inet6, any
	ClassInteger
	ClassDecimal
	ClassFloat
	ClassBool
	ClassBit
	ClassChar   // character data of a declared length: char, varchar
	ClassText   // character data without one: text and its family, clob
	ClassBinary // binary data of a declared length: binary, varbinary
	ClassBlob   // binary data without one: blob and its family
	ClassEnum
	ClassSet
	ClassDate
	ClassTime
	ClassDatetime // datetime, timestamp
	ClassYear
	ClassJSON
	ClassSpatial
)

// TypeSpec is one type of a dialect's registry as the schema language sees
// it: its name, and the arguments it takes.
type TypeSpec struct {
	// Name is the type as Type.Name spells it: lower case, words separated
	// by one space ("unsigned big int").
	Name  string
	Class TypeClass
	// MinArgs and MaxArgs bound the number of integer arguments.
	MinArgs, MaxArgs int
	// Values is set for the types that take strings instead: enum, set.
	Values bool
	// Check describes arguments out of range ("varchar(70000) is out of
	// range: the size is at most 65535"), or returns "". name is the type
	// as the user wrote it. Nil accepts any arguments.
	Check func(name string, args []int) string
}

// Language is what a dialect tells the schema language about its engine:
// the type registry, the engine-specific attributes it has, and what to
// say about those of other engines. A dialect builds it once and never
// writes to it afterwards.
type Language struct {
	// Engine names the engine in messages: "SQLite", "MySQL".
	Engine string
	// SchemaName is the schema name to suggest when nothing else decides
	// it: "main" on SQLite.
	SchemaName string
	// Types is the type registry, in the order suggestions are made.
	Types []TypeSpec
	// ForeignTypes maps the type names of other engines that this one
	// lacks to a hint at the nearest type it has ("use int"), or to "".
	ForeignTypes map[string]string
	// Attrs are the engine-specific attributes and blocks of the language
	// that the engine has, as "block.name": "table.engine",
	// "primary_key.on".
	Attrs []string
	// Ignored are engine-specific attributes the engine accepts with a
	// warning that they have no effect.
	Ignored []string
	// ForeignAttrs maps the engine-specific attributes of other engines to
	// the engine that has them: "table.engine" to "MySQL".
	ForeignAttrs map[string]string
	// StorageEngines are the storage engines table.engine may name as a
	// bare keyword (InnoDB); another engine is written as a string, and
	// passed to the server with a warning.
	StorageEngines []string
	// StoredKeywords are the keywords that mean STORED for a generated
	// column besides STORED itself (MariaDB's PERSISTENT).
	StoredKeywords []string
	// FoldTableNames is set when table names differing only in case name
	// the same table.
	FoldTableNames bool
	// ASCIIFold is set when table names compared without case fold
	// ASCII letters only: SQLite takes "Äb" and "äb" for two tables.
	ASCIIFold bool
	// SchemaIndexNames and SchemaForeignKeyNames are set when index and
	// foreign key names are unique in the whole schema, not per table.
	SchemaIndexNames, SchemaForeignKeyNames bool
	// GeneratedKeys is set when a generated column may be part of the
	// primary key.
	GeneratedKeys bool
	// CollateAnyType is set when a collation may be declared on a column of
	// any type (SQLite compares every value under it); else only on
	// character, text, enum and set types.
	CollateAnyType bool
	// NullableKeys is set when a primary key column may be declared
	// null = true: SQLite lets some primary keys hold NULL, and its
	// Normalize says which cannot. Without it the declaration is refused.
	NullableKeys bool
}

// Problem is something an engine refuses, or warns about, in a model. It
// names the object it is about, so that the schema language can point at
// the source that declared it.
type Problem struct {
	// Table is the table the object belongs to; nil for the schema.
	Table *Table
	// Object is what the problem is about: the *Schema, the *Table, or a
	// *Column, *Index (the primary key too), *IndexPart, *ForeignKey or
	// *Check of Table.
	Object any
	// Attr is the attribute at fault ("type", "auto_increment"); "" is the
	// object's name.
	Attr string
	// Item, counted from 1, is the element of a list attribute at fault;
	// 0 is the whole attribute.
	Item int
	// Value points at the attribute's value rather than at its name.
	Value bool
	// Warning marks a problem the engine accepts.
	Warning bool
	// Summary is a short title ("Invalid auto_increment"); Detail is the
	// sentence that names the object and the way out.
	Summary, Detail string
}

// Broken marks the parts of a decoded model whose errors were reported
// already: rules skip them rather than report what follows from the first
// error. The zero value marks nothing.
type Broken struct {
	Types       map[*Column]bool     // the type did not decode
	Keys        map[*Index]bool      // a part did not resolve to a column
	ForeignKeys map[*ForeignKey]bool // a column did not resolve, or the counts differ
}

// KeyOf reports whether the primary key or an index of t is broken.
func (b Broken) KeyOf(t *Table) bool {
	if t.PrimaryKey != nil && b.Keys[t.PrimaryKey] {
		return true
	}
	for _, i := range t.Indexes {
		if b.Keys[i] {
			return true
		}
	}
	return false
}
