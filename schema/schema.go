// Package schema is the model at the centre of schemactl: a Realm of Schemas of
// Tables, read from HCL or from a live database, and the typed Changes that the
// planner computes between two Realms and that dialects render as SQL.
//
// The model holds names, not pointers, between objects (a foreign key names its
// referenced table and columns), so that values can be compared with go-cmp,
// copied freely and diffed without cycles. Source positions (Pos) are kept so
// that checks after decoding can still point at the HCL that asked for a thing;
// they never take part in comparisons (see Equal helpers and cmp options).
package schema

import "strings"

// Dialect names the engine family a model is meant for. It is chosen by the
// database URL, never by the HCL file.
type Dialect string

const (
	SQLite Dialect = "sqlite"
	MySQL  Dialect = "mysql" // MySQL and MariaDB
)

// Realm is everything one URL reaches. In v1 it holds exactly one Schema.
type Realm struct {
	Schemas []*Schema
}

// Schema is a database (MySQL) or the main schema (SQLite, always "main").
type Schema struct {
	Name    string
	Charset string // MySQL only; "" means the server default
	Collate string // MySQL only
	Comment string // MariaDB only
	Tables  []*Table
	// Objects are the views, routines and other objects outside the HCL
	// language, read from the database so that plans and inspect can report
	// them. They are never diffed, created or dropped.
	Objects []*Object
	Pos     Range
}

// Object is a database object that schemactl does not manage (a view, a
// trigger, a routine), kept with its SQL text.
type Object struct {
	Kind  string // "view", "trigger", "procedure", "function", "event"
	Name  string
	Table string // the table a trigger belongs to
	SQL   string // its definition as the engine reports it
}

// Table is a table and everything that hangs off it.
type Table struct {
	Name        string
	RenamedFrom string // extension: the old name, for a rename instead of drop+add
	Columns     []*Column
	PrimaryKey  *Index // nil when the table has none; Name is "" or "PRIMARY"
	Indexes     []*Index
	ForeignKeys []*ForeignKey
	Checks      []*Check
	Comment     string

	// MySQL table options. Empty / zero means "not managed / server default".
	Charset       string
	Collate       string
	Engine        string
	AutoIncrement int64

	// SQLite table options.
	Strict       bool
	WithoutRowID bool

	// Triggers of the table as read from the database. They are not part of
	// the HCL language and never diffed; they are kept so that a table
	// rebuild can re-create them. The planner copies the current table's
	// triggers onto the desired table of a ModifyTable.
	Triggers []*Object

	// Unmodeled describes what the live table declares that the model
	// cannot hold (SQLite: ON CONFLICT clauses of constraints), e.g.
	// `ON CONFLICT REPLACE on column "email"`. It is never diffed; a change
	// that re-creates the table would drop it, which lint reports.
	Unmodeled []string

	Pos Range
}

// Column is a table column.
type Column struct {
	Name          string
	RenamedFrom   string
	Type          Type
	Null          bool
	Default       *Default // nil: no DEFAULT clause
	AutoIncrement bool
	OnUpdate      string // MySQL raw SQL, e.g. CURRENT_TIMESTAMP; "" when absent
	Charset       string // MySQL
	Collate       string // MySQL
	Comment       string
	Generated     *Generated // nil: not a generated column
	Pos           Range
}

// Generated describes a generated (computed) column.
type Generated struct {
	Expr   string
	Stored bool // false: VIRTUAL
}

// DefaultKind tells how a default value is written in SQL.
type DefaultKind int

const (
	DefaultString DefaultKind = iota + 1 // a string literal, Value unquoted
	DefaultNumber                        // a numeric literal, Value as written
	DefaultBool                          // Value is "true" or "false"
	DefaultRaw                           // a raw SQL expression, Value verbatim
)

// Default is a column default value.
type Default struct {
	Kind  DefaultKind
	Value string
}

// Index is an index, a unique index or a primary key.
type Index struct {
	Name        string
	RenamedFrom string
	Unique      bool
	Parts       []IndexPart
	Where       string // SQLite partial index predicate
	Type        string // MySQL: BTREE, HASH, FULLTEXT, SPATIAL; "" is the default (BTREE)
	Parser      string // MySQL FULLTEXT parser
	Comment     string // MySQL
	Pos         Range
}

// IndexPart is one key part: a column or an expression.
type IndexPart struct {
	Column string // set unless Expr is
	Expr   string // functional part, without outer parentheses
	Desc   bool
	Prefix int // MySQL prefix length; 0 when absent
}

// ReferenceAction is a foreign key ON UPDATE / ON DELETE action, spelled as in
// SQL ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"), or "" when
// absent.
type ReferenceAction string

const (
	NoAction   ReferenceAction = "NO ACTION"
	Restrict   ReferenceAction = "RESTRICT"
	Cascade    ReferenceAction = "CASCADE"
	SetNull    ReferenceAction = "SET NULL"
	SetDefault ReferenceAction = "SET DEFAULT"
)

// ForeignKey is a foreign key constraint. RefTable is in the same schema.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnUpdate   ReferenceAction
	OnDelete   ReferenceAction
	// Deferred is SQLite's DEFERRABLE INITIALLY DEFERRED: the key is
	// checked when the transaction commits, not after each statement.
	// Every other deferrable clause means immediate, as no clause does.
	Deferred bool
	Pos      Range
}

// Check is a CHECK constraint.
type Check struct {
	Name     string
	Expr     string
	Enforced bool // MySQL NOT ENFORCED when false; dialects set true by default
	Pos      Range
}

// Schema returns the schema with the given name.
func (r *Realm) Schema(name string) (*Schema, bool) {
	for _, s := range r.Schemas {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// Table returns the table with the given name, compared exactly.
func (s *Schema) Table(name string) (*Table, bool) {
	for _, t := range s.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Column returns the column with the given name. Column names are compared
// case-insensitively, as both engines do.
func (t *Table) Column(name string) (*Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return nil, false
}

// Index returns the (non-primary) index with the given name, compared
// case-insensitively.
func (t *Table) Index(name string) (*Index, bool) {
	for _, i := range t.Indexes {
		if strings.EqualFold(i.Name, name) {
			return i, true
		}
	}
	return nil, false
}

// ForeignKey returns the foreign key with the given name.
func (t *Table) ForeignKey(name string) (*ForeignKey, bool) {
	for _, f := range t.ForeignKeys {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// Check returns the check constraint with the given name.
func (t *Table) Check(name string) (*Check, bool) {
	for _, c := range t.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// IsUniqueKey reports whether cols, in any order, are the columns of the
// primary key or of a unique index without a predicate: what a foreign key
// may reference.
func (t *Table) IsUniqueKey(cols []string) bool {
	if t.PrimaryKey != nil && sameColumns(t.PrimaryKey.Parts, cols) {
		return true
	}
	for _, i := range t.Indexes {
		if i.Unique && i.Where == "" && sameColumns(i.Parts, cols) {
			return true
		}
	}
	return false
}

// sameColumns reports whether parts are whole columns forming the set cols.
func sameColumns(parts []IndexPart, cols []string) bool {
	if len(parts) != len(cols) {
		return false
	}
	for _, p := range parts {
		if p.Column == "" || p.Prefix != 0 {
			return false
		}
		found := false
		for _, c := range cols {
			if strings.EqualFold(p.Column, c) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Columns returns the column names of the parts that are columns.
func (i *Index) Columns() []string {
	var cols []string
	for _, p := range i.Parts {
		if p.Column != "" {
			cols = append(cols, p.Column)
		}
	}
	return cols
}
