// Package modeltest finds, by reflection, the fields of the schema model
// that a consumer neither handles nor deliberately leaves out. Six places
// enumerate the model's fields by hand (compare, fingerprint, describe,
// clone, the text plan and the HCL encoder); a field added to the model and
// forgotten in one of them is silently ignored there. Each consumer's test
// hands Check its output for a realm and the fields it excludes, with a
// reason each: a new field fails the test until it is handled or excluded.
//
// Base is a realm in which every field of every model struct is set on at
// least one object. Variants derives from it, for every exported field of
// every object, a realm that differs from Base in that field alone. A
// consumer handles a field when its output for some variant of that field
// differs from its output for Base.
package modeltest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// Types are the model structs whose fields are checked. A struct of package
// schema reachable from a Realm must be here or in Leaves
// (TestEveryModelStructIsListed).
var Types = []reflect.Type{
	reflect.TypeFor[schema.Realm](),
	reflect.TypeFor[schema.Schema](),
	reflect.TypeFor[schema.Table](),
	reflect.TypeFor[schema.Column](),
	reflect.TypeFor[schema.Type](),
	reflect.TypeFor[schema.Default](),
	reflect.TypeFor[schema.Generated](),
	reflect.TypeFor[schema.Index](),
	reflect.TypeFor[schema.IndexPart](),
	reflect.TypeFor[schema.ForeignKey](),
	reflect.TypeFor[schema.Check](),
	reflect.TypeFor[schema.Object](),
}

// Leaves are the structs of package schema whose fields are not checked one
// by one, by name, with the reason: a field of such a type counts as one
// field of the struct that holds it.
var Leaves = map[string]string{
	"Range": "a source position, compared by no consumer (see Positions)",
}

// Base returns a new realm in which every exported field of every model
// struct is set on at least one object, and which every consumer accepts:
// one schema, a table hero with six columns, a primary key, an index, a
// foreign key to a table team, a check and a trigger, and a view.
func Base() *schema.Realm {
	hero := &schema.Table{
		Name:        "hero",
		RenamedFrom: "heroes",
		Columns: []*schema.Column{
			{Name: "id", Type: schema.Type{Name: "int", Args: []int{11}}, AutoIncrement: true},
			{
				Name: "name", RenamedFrom: "nick", Type: schema.Type{Name: "varchar", Args: []int{100}}, Null: true,
				Default: &schema.Default{Kind: schema.DefaultString, Value: "anon"},
				Charset: "utf8mb4", Collate: "utf8mb4_bin", Comment: "what they are called",
			},
			{
				Name: "power", Type: schema.Type{Name: "decimal", Args: []int{10, 2}, Unsigned: true}, Null: true,
				Generated: &schema.Generated{Expr: "id * 2", Stored: true},
			},
			{Name: "seen", Type: schema.Type{Name: "timestamp"}, Null: true, OnUpdate: "CURRENT_TIMESTAMP"},
			{Name: "side", Type: schema.Type{Name: "enum", Values: []string{"good", "evil"}}, Null: true},
			{Name: "team_id", Type: schema.Type{Name: "int", Args: []int{11}}, Null: true},
		},
		PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}, Type: "BTREE", Comment: "key"},
		Indexes: []*schema.Index{{
			Name: "hero_name_idx", RenamedFrom: "hero_nick_idx", Unique: true,
			Parts: []schema.IndexPart{{Column: "name", Desc: true, Prefix: 10}, {Expr: "lower(name)"}},
			Where: "power > 0", Type: "BTREE", Parser: "ngram", Comment: "by name",
		}},
		ForeignKeys: []*schema.ForeignKey{{
			Name: "hero_team_fk", Columns: []string{"team_id"}, RefTable: "team", RefColumns: []string{"id"},
			OnUpdate: schema.Cascade, OnDelete: schema.SetNull, Deferred: true,
		}},
		Checks:  []*schema.Check{{Name: "hero_power_check", Expr: "power >= 0", Enforced: true}},
		Comment: "heroes", Charset: "utf8mb4", Collate: "utf8mb4_bin", Engine: "InnoDB", AutoIncrement: 100,
		Strict: true, WithoutRowID: true,
		Triggers: []*schema.Object{{
			Kind: "trigger", Name: "hero_audit", Table: "hero",
			SQL: "CREATE TRIGGER hero_audit AFTER INSERT ON hero BEGIN SELECT 1; END",
		}},
		Unmodeled: []string{`ON CONFLICT REPLACE on column "name"`},
	}
	team := &schema.Table{
		Name:       "team",
		Columns:    []*schema.Column{{Name: "id", Type: schema.Type{Name: "int", Args: []int{11}}}},
		PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id"}}},
	}
	return &schema.Realm{Schemas: []*schema.Schema{{
		Name: "app", Charset: "utf8mb4", Collate: "utf8mb4_bin", Comment: "the app",
		Tables:  []*schema.Table{hero, team},
		Objects: []*schema.Object{{Kind: "view", Name: "hero_names", SQL: "CREATE VIEW hero_names AS SELECT name FROM hero"}},
	}}}
}

// A Variant is a realm that differs from Base in one field of one object.
type Variant struct {
	// Field is the struct and the field, as "Column.Default".
	Field string
	// Path is where the object is in the realm, as
	// "Realm.Schemas[0].Tables[0].Columns[1]".
	Path  string
	Realm *schema.Realm
}

// Variants returns the variants of Base: for every exported field of every
// object of a model struct, Base with that field changed. A string gets a
// suffix, a bool flips, a number grows by one, a pointer becomes nil, a
// slice loses its last element, and a struct changes in its first field
// that can; a nil pointer or an empty slice has no variant.
func Variants() []Variant {
	var out []Variant
	for _, o := range objects(Base()) {
		for i := range o.v.NumField() {
			f := o.v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			r := Base()
			target := objects(r)[o.n].v.Field(i)
			if !change(target) {
				continue
			}
			out = append(out, Variant{Field: o.v.Type().Name() + "." + f.Name, Path: o.path, Realm: r})
		}
	}
	return out
}

// Fields lists every exported field of the model structs, as "Type.Field".
func Fields() []string {
	var out []string
	for _, t := range Types {
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				out = append(out, t.Name()+"."+f.Name)
			}
		}
	}
	return out
}

// TB is the part of testing.TB that Check reports through.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

var _ TB = (testing.TB)(nil)

// Excluded maps the fields a consumer leaves out on purpose, as
// "Type.Field" or "Type.*", to the reason.
type Excluded map[string]string

// With adds fields to e, all for the same reason, and returns e.
func (e Excluded) With(reason string, fields ...string) Excluded {
	for _, f := range fields {
		e[f] = reason
	}
	return e
}

// Field groups most consumers leave out, each for a reason of their own.
var (
	// Positions are where the HCL declared an object, kept for
	// diagnostics.
	Positions = []string{"Schema.Pos", "Table.Pos", "Column.Pos", "Index.Pos", "ForeignKey.Pos", "Check.Pos"}
	// RenameHints are the renamed_from hints: instructions to the planner
	// about the state before, not part of the state.
	RenameHints = []string{"Table.RenamedFrom", "Column.RenamedFrom", "Index.RenamedFrom"}
	// Unmanaged are the views, triggers and routines schemactl reads from
	// a database but does not manage.
	Unmanaged = []string{"Schema.Objects", "Table.Triggers", "Object.*"}
)

// Check fails t for every model field that output neither handles (its
// output for some variant of the field differs from its output for Base)
// nor excludes, for every excluded field it handles all the same (the
// exclusion is stale), and for every exclusion without a reason or that
// names no field. excluded maps "Type.Field", or "Type.*" for every field
// of a struct, to the reason the consumer leaves it out. An error counts as
// output: a consumer that refuses a variant looked at the field.
func Check(t TB, consumer string, output func(*schema.Realm) (string, error), excluded Excluded) {
	t.Helper()
	run := func(r *schema.Realm) string {
		s, err := output(r)
		if err != nil {
			return "error: " + err.Error()
		}
		return s
	}
	base := run(Base())
	if strings.HasPrefix(base, "error: ") {
		t.Fatalf("%s refuses the base realm: %s", consumer, base)
	}
	handled := map[string]string{} // field → the path of a variant that shows it
	for _, v := range Variants() {
		if _, ok := handled[v.Field]; !ok && run(v.Realm) != base {
			handled[v.Field] = v.Path
		}
	}
	fields := Fields()
	for key, reason := range excluded {
		if strings.TrimSpace(reason) == "" {
			t.Errorf("%s: the exclusion of %s gives no reason", consumer, key)
		}
		if !slices.Contains(fields, key) && !(strings.HasSuffix(key, ".*") && slices.ContainsFunc(fields, func(f string) bool {
			return strings.HasPrefix(f, strings.TrimSuffix(key, "*"))
		})) {
			t.Errorf("%s: the exclusion of %s names no model field", consumer, key)
		}
	}
	for _, f := range fields {
		reason, isExcluded := exclusion(excluded, f)
		path, isHandled := handled[f]
		switch {
		case isHandled && isExcluded:
			t.Errorf("%s handles %s (a change of it at %s shows), but excludes it (%s): take it off the list", consumer, f, path, reason)
		case !isHandled && !isExcluded:
			t.Errorf("%s ignores %s: handle it, or exclude it in the test with the reason", consumer, f)
		}
	}
}

func exclusion(excluded map[string]string, field string) (string, bool) {
	if r, ok := excluded[field]; ok {
		return r, true
	}
	typ, _, _ := strings.Cut(field, ".")
	r, ok := excluded[typ+".*"]
	return r, ok
}

// object is one value of a model struct in a realm, in walk order.
type object struct {
	n    int           // its place in walk order
	path string        // where it is, from the realm
	v    reflect.Value // the struct, addressable
}

// objects walks r depth first, in field order, and returns every value of
// a model struct in it. The order depends only on the shape of r, so that
// the n-th object of two Base realms is the same object.
func objects(r *schema.Realm) []object {
	var out []object
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Struct:
			if !slices.Contains(Types, v.Type()) {
				return
			}
			out = append(out, object{n: len(out), path: path, v: v})
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		}
	}
	walk(reflect.ValueOf(r), "Realm")
	return out
}

// change changes v in place, as Variants says, and reports whether it could.
func change(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			v.SetString("x")
		} else {
			v.SetString(v.String() + "_x")
		}
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Pointer:
		if v.IsNil() {
			return false
		}
		v.SetZero()
	case reflect.Slice:
		if v.Len() == 0 {
			return false
		}
		v.Set(v.Slice(0, v.Len()-1))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && change(v.Field(i)) {
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}

// Shared lists, as "Type.Field", the pointers and slices of model structs
// that a copy shares with its original: a field of a model struct in
// original whose pointer, slice backing array, or slice element pointer is
// the same in cp. original and cp must have the same shape, as a copy has.
func Shared(original, cp any) []string {
	var out []string
	add := func(name string) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	var walk func(a, b reflect.Value)
	walk = func(a, b reflect.Value) {
		switch a.Kind() {
		case reflect.Pointer:
			if !a.IsNil() && !b.IsNil() {
				walk(a.Elem(), b.Elem())
			}
		case reflect.Slice:
			for i := range min(a.Len(), b.Len()) {
				walk(a.Index(i), b.Index(i))
			}
		case reflect.Struct:
			if !slices.Contains(Types, a.Type()) {
				return
			}
			for i := range a.NumField() {
				f := a.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				x, y := a.Field(i), b.Field(i)
				if sharesMemory(x, y) {
					add(a.Type().Name() + "." + f.Name)
				}
				walk(x, y)
			}
		}
	}
	walk(reflect.ValueOf(original), reflect.ValueOf(cp))
	return out
}

// sharesMemory reports whether two values of a field point to the same
// memory: the same pointer, the same backing array, or a slice of the same
// pointers.
func sharesMemory(x, y reflect.Value) bool {
	switch x.Kind() {
	case reflect.Pointer:
		return !x.IsNil() && x.Pointer() == y.Pointer()
	case reflect.Slice:
		if x.Len() == 0 || y.Len() == 0 {
			return false
		}
		if x.Pointer() == y.Pointer() {
			return true
		}
		if x.Type().Elem().Kind() == reflect.Pointer {
			for i := range min(x.Len(), y.Len()) {
				if !x.Index(i).IsNil() && x.Index(i).Pointer() == y.Index(i).Pointer() {
					return true
				}
			}
		}
	}
	return false
}
