// Package bench measures schemactl at the scale of large monoliths: it
// generates schemas of many similar tables (about 20 columns, 3 indexes and
// 1 foreign key each), as a schema.Realm and as HCL, for SQLite and for
// MySQL/MariaDB, and its benchmarks time every stage of planning and
// applying them (see README, "Performance").
//
// The schemas are regular rather than random so that a size is the only
// thing that varies between two runs: the 10,000-table schema is the
// 1,000-table one ten times over, and the ratio of two timings is the
// growth of a stage.
package bench

import (
	"fmt"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// Columns, Indexes and ForeignKeys are the shape of every generated table.
const (
	Columns     = 20
	Indexes     = 3
	ForeignKeys = 1
)

// TableName is the name of the i-th generated table.
func TableName(i int) string { return fmt.Sprintf("t%05d", i) }

// Realm returns a schema of n tables for dialect d, in schema name (use
// "main" for SQLite). Table i has a foreign key to table i/10, so the key
// graph is a tree of fan-in 10 (table 0 refers to itself), as monoliths
// have many tables hanging off a few central ones.
func Realm(d schema.Dialect, name string, n int) *schema.Realm {
	s := &schema.Schema{Name: name}
	for i := range n {
		s.Tables = append(s.Tables, table(d, i))
	}
	return &schema.Realm{Schemas: []*schema.Schema{s}}
}

// HCL returns the HCL document of Realm(d, name, n).
func HCL(d schema.Dialect, name string, n int) ([]byte, error) {
	return Encode(Realm(d, name, n), d)
}

// Encode writes a generated realm as HCL.
func Encode(r *schema.Realm, d schema.Dialect) ([]byte, error) {
	return schemahcl.Encode(r, engine.HCLDialect(d))
}

// Change returns a copy of r in which every hundredth table (1%, at least
// one) gains a nullable column and an index on it: the everyday change of
// a pull request, which every engine makes without rebuilding a table.
func Change(r *schema.Realm) *schema.Realm {
	src := r.Schemas[0]
	s := *src
	s.Tables = make([]*schema.Table, len(src.Tables))
	for i, t := range src.Tables {
		s.Tables[i] = t
		if i%100 != 0 {
			continue
		}
		c := *t
		c.Columns = append(c.Columns[:len(c.Columns):len(c.Columns)], &schema.Column{
			Name: "note", Type: schema.Type{Name: "varchar", Args: []int{100}}, Null: true,
		})
		c.Indexes = append(c.Indexes[:len(c.Indexes):len(c.Indexes)], &schema.Index{
			Name: t.Name + "_note", Parts: []schema.IndexPart{{Column: "note"}},
		})
		s.Tables[i] = &c
	}
	return &schema.Realm{Schemas: []*schema.Schema{&s}}
}

// Changed is the number of tables Change modifies in a schema of n tables.
func Changed(n int) int { return (n + 99) / 100 }

func table(d schema.Dialect, i int) *schema.Table {
	name := TableName(i)
	mysql := d == schema.MySQL
	idType := schema.Type{Name: "integer"}
	intType := schema.Type{Name: "integer"}
	boolType := schema.Type{Name: "boolean"}
	if mysql {
		idType = schema.Type{Name: "bigint"}
		intType = schema.Type{Name: "int"}
		boolType = schema.Type{Name: "bool"}
	}
	varchar := func(n int) schema.Type { return schema.Type{Name: "varchar", Args: []int{n}} }
	str := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultString, Value: v} }
	num := func(v string) *schema.Default { return &schema.Default{Kind: schema.DefaultNumber, Value: v} }
	cols := []*schema.Column{
		{Name: "id", Type: idType, AutoIncrement: mysql},
		{Name: "parent_id", Type: idType, Null: true},
		{Name: "code", Type: varchar(64)},
		{Name: "name", Type: varchar(255)},
		{Name: "description", Type: schema.Type{Name: "text"}, Null: true},
		{Name: "status", Type: varchar(32), Default: str("new")},
		{Name: "amount", Type: schema.Type{Name: "decimal", Args: []int{12, 2}}, Default: num("0")},
		{Name: "quantity", Type: intType, Default: num("0")},
		{Name: "active", Type: boolType, Default: &schema.Default{Kind: schema.DefaultBool, Value: "true"}},
		{Name: "created_at", Type: schema.Type{Name: "datetime"}},
		{Name: "updated_at", Type: schema.Type{Name: "datetime"}, Null: true},
		{Name: "deleted_at", Type: schema.Type{Name: "datetime"}, Null: true},
		{Name: "email", Type: varchar(255), Null: true},
		{Name: "phone", Type: varchar(32), Null: true},
		{Name: "country", Type: schema.Type{Name: "char", Args: []int{2}}, Default: str("US")},
		{Name: "score", Type: schema.Type{Name: "double"}, Null: true},
		{Name: "rank", Type: intType, Null: true},
		{Name: "flags", Type: intType, Default: num("0")},
		{Name: "external_ref", Type: varchar(128), Null: true},
		{Name: "notes", Type: schema.Type{Name: "text"}, Null: true},
	}
	t := &schema.Table{
		Name:       name,
		Columns:    cols,
		PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
		Indexes: []*schema.Index{
			{Name: name + "_code", Unique: true, Parts: []schema.IndexPart{{Column: "code"}}},
			{Name: name + "_status_created", Parts: []schema.IndexPart{{Column: "status"}, {Column: "created_at"}}},
			{Name: name + "_parent", Parts: []schema.IndexPart{{Column: "parent_id"}}},
		},
		ForeignKeys: []*schema.ForeignKey{{
			Name:       name + "_parent_fk",
			Columns:    []string{"parent_id"},
			RefTable:   TableName(i / 10),
			RefColumns: []string{"id"},
			OnDelete:   schema.Cascade,
		}},
	}
	return t
}
