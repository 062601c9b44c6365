package describe

import (
	"slices"
	"strings"

	"github.com/schemactl/schemactl/schema"
)

// Action is what a plan does to an object, as people count it.
type Action int

// The actions: a table or the schema is changed, created or dropped.
const (
	ActionChange Action = iota
	ActionAdd
	ActionDestroy
)

// String is the action's name in json plans: "add", "change", "destroy".
func (a Action) String() string {
	switch a {
	case ActionAdd:
		return "add"
	case ActionDestroy:
		return "destroy"
	}
	return "change"
}

// Symbol is the action's mark in text and markdown plans: +, ~ or -.
func (a Action) Symbol() string {
	switch a {
	case ActionAdd:
		return "+"
	case ActionDestroy:
		return "-"
	}
	return "~"
}

// Entry is one object of a plan as people see it: a table or the schema,
// listed once with every change that touches it.
type Entry struct {
	Action Action
	Kind   string // "table" or "schema"
	Name   string // the name after the plan
	From   string // the old name of a renamed table
	Nested []schema.Change
	Schema *schema.ModifySchema
	// Table is the table created or dropped, for the entries of those.
	Table *schema.Table
	pos   int // index of the change that places the entry
}

// Drops counts what changed tables lose: dropped columns, indexes, keys
// and checks, which a summary of "1 to change" would hide.
type Drops struct {
	Columns, Indexes, ForeignKeys, Checks, PrimaryKeys int
}

// Total is the number of dropped objects.
func (d Drops) Total() int { return d.Columns + d.Indexes + d.ForeignKeys + d.Checks + d.PrimaryKeys }

// String lists the counts that are not zero: "1 column dropped",
// "2 columns, 1 index dropped"; "" when nothing is.
func (d Drops) String() string {
	var parts []string
	for _, c := range []struct {
		n    int
		noun string
	}{{d.Columns, "column"}, {d.Indexes, "index"}, {d.ForeignKeys, "foreign key"}, {d.Checks, "check"}, {d.PrimaryKeys, "primary key"}} {
		if c.n > 0 {
			parts = append(parts, Count(c.n, c.noun))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + " dropped"
}

// CountDrops counts the drops inside the changed tables of entries.
func CountDrops(entries []*Entry) Drops {
	var d Drops
	for _, e := range entries {
		if e.Action != ActionChange {
			continue
		}
		for _, c := range e.Nested {
			switch c := c.(type) {
			case *schema.DropColumn:
				d.Columns++
			case *schema.DropIndex:
				d.Indexes++
			case *schema.DropForeignKey:
				d.ForeignKeys++
			case *schema.DropCheck:
				d.Checks++
			case *schema.ModifyPrimaryKey:
				if c.To == nil {
					d.PrimaryKeys++
				}
			}
		}
	}
	return d
}

// Group folds a plan's changes into one entry per object, in plan order:
// a created table is placed at its AddTable, a dropped one at its DropTable
// (foreign keys split off to break cycles belong to the same entry), and a
// changed one at its first change.
func Group(changes []schema.Change) []*Entry {
	byKey := make(map[string]*Entry)
	var entries []*Entry
	get := func(kind, name string, pos int) *Entry {
		k := kind + "\x00" + name
		e := byKey[k]
		if e == nil {
			e = &Entry{Kind: kind, Name: name, pos: pos}
			byKey[k] = e
			entries = append(entries, e)
		}
		return e
	}
	for i, c := range changes {
		switch c := c.(type) {
		case *schema.ModifySchema:
			get("schema", c.To.Name, i).Schema = c
		case *schema.RenameTable:
			get("table", c.To, i).From = c.From
		case *schema.AddTable:
			e := get("table", c.T.Name, i)
			e.Action, e.pos, e.Table = ActionAdd, i, c.T
		case *schema.DropTable:
			e := get("table", c.T.Name, i)
			e.Action, e.pos, e.Table = ActionDestroy, i, c.T
		case *schema.ModifyTable:
			e := get("table", c.To.Name, i)
			e.Nested = append(e.Nested, c.Changes...)
		}
	}
	slices.SortStableFunc(entries, func(a, b *Entry) int { return a.pos - b.pos })
	return entries
}
