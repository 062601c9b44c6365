package modeltest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestEveryModelStructIsListed: a struct of package schema that a realm can
// hold is checked field by field (Types) or deliberately as a whole
// (Leaves), so that a new model struct cannot slip past the consumers'
// tests.
func TestEveryModelStructIsListed(t *testing.T) {
	pkg := reflect.TypeFor[schema.Realm]().PkgPath()
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(ty.Elem())
		case reflect.Struct:
			if seen[ty] {
				return
			}
			seen[ty] = true
			if ty.PkgPath() != pkg {
				return
			}
			if !slices.Contains(Types, ty) {
				if _, ok := Leaves[ty.Name()]; !ok {
					t.Errorf("schema.%s is in the model but neither in Types nor in Leaves", ty.Name())
				}
				return
			}
			for i := range ty.NumField() {
				walk(ty.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeFor[schema.Realm]())
}

// TestEveryFieldHasAVariant: Base sets every field somewhere, so each has
// a variant, and each variant differs from Base.
func TestEveryFieldHasAVariant(t *testing.T) {
	if !reflect.DeepEqual(Base(), Base()) {
		t.Fatal("Base is not the same realm each time")
	}
	got := map[string]bool{}
	for _, v := range Variants() {
		got[v.Field] = true
		if reflect.DeepEqual(v.Realm, Base()) {
			t.Errorf("the variant of %s at %s is Base", v.Field, v.Path)
		}
	}
	for _, f := range Fields() {
		if !got[f] {
			t.Errorf("%s has no variant: set it in Base", f)
		}
	}
}

// recorder is a TB that keeps what Check reports.
type recorder struct{ msgs []string }

func (*recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

// TestCheck: Check reports a field that is neither handled nor excluded,
// an exclusion of a field that is handled, an exclusion without a reason
// and one that names no field; and nothing for a consumer that handles
// what it does not exclude.
func TestCheck(t *testing.T) {
	tableNames := func(r *schema.Realm) (string, error) {
		var names []string
		for _, s := range r.Schemas {
			for _, t := range s.Tables {
				names = append(names, t.Name)
			}
		}
		return strings.Join(names, ","), nil
	}
	var all Excluded
	exclude := func(except ...string) Excluded {
		m := Excluded{}
		for _, f := range Fields() {
			if !slices.Contains(except, f) {
				m[f] = "not a table name"
			}
		}
		return m
	}
	all = exclude("Realm.Schemas", "Schema.Tables", "Table.Name")

	var r recorder
	Check(&r, "names", tableNames, all)
	if len(r.msgs) != 0 {
		t.Errorf("a consumer that handles what it does not exclude: %q", r.msgs)
	}

	delete(all, "Column.Name")
	all["Table.Name"] = "stale"
	all["Table.Nope"] = "no such field"
	all["Check.Expr"] = " "
	r = recorder{}
	Check(&r, "names", tableNames, all)
	want := []string{
		"names: the exclusion of Check.Expr gives no reason",
		"names: the exclusion of Table.Nope names no model field",
		"names handles Table.Name (a change of it at Realm.Schemas[0].Tables[0] shows), but excludes it (stale): take it off the list",
		"names ignores Column.Name: handle it, or exclude it in the test with the reason",
	}
	slices.Sort(want)
	slices.Sort(r.msgs)
	if !slices.Equal(r.msgs, want) {
		t.Errorf("Check reported\n%s\nwant\n%s", strings.Join(r.msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestShared: Shared names what a shallow copy shares and a deep one does
// not.
func TestShared(t *testing.T) {
	orig := Base().Schemas[0].Tables[0]
	shallow := *orig
	got := Shared(orig, &shallow)
	for _, f := range []string{"Table.Columns", "Table.PrimaryKey", "Table.Indexes", "Table.Triggers", "Table.Unmodeled"} {
		if !slices.Contains(got, f) {
			t.Errorf("a shallow copy shares %s, Shared says only %q", f, got)
		}
	}
	if got := Shared(orig, Base().Schemas[0].Tables[0]); len(got) != 0 {
		t.Errorf("two tables built apart share %q", got)
	}
}
