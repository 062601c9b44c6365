package sqlite

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

func TestNarrows(t *testing.T) {
	d := New()
	check := func(t *testing.T, from, to *schema.Column, want bool) {
		t.Helper()
		got, reason := d.Narrows(from, to)
		if got != want {
			t.Errorf("Narrows(%s → %s) = %v (%s), want %v", from.Type, to.Type, got, reason, want)
		}
		if got && !strings.Contains(reason, `"c"`) {
			t.Errorf("reason %q does not name the column", reason)
		}
		if !got && reason != "" {
			t.Errorf("a safe change has a reason: %q", reason)
		}
	}
	c := func(tp schema.Type) *schema.Column { return &schema.Column{Name: "c", Type: tp} }
	unsafe := [][2]schema.Type{
		{typ("varchar", 20), typ("varchar", 19)},
		{typ("text"), typ("varchar", 10)},
		{typ("numeric", 10, 2), typ("numeric", 8, 2)},
		{typ("decimal", 10, 2), typ("decimal", 10, 1)},
		{typ("decimal", 10, 2), typ("decimal", 10)},
		{typ("text"), typ("integer")},
		{typ("varchar", 10), typ("real")},
		{typ("blob"), typ("int")},
		{raw("BLOB SUB_TYPE TEXT"), typ("numeric")},
		{typ("integer"), typ("real")},
		{typ("numeric"), typ("double")},
		{typ("real"), typ("text")},
		{typ("decimal", 10, 2), typ("text")},
	}
	safe := [][2]schema.Type{
		{typ("int"), typ("bigint")},
		{typ("int", 11), typ("int", 4)},
		{typ("varchar", 10), typ("varchar", 20)},
		{typ("varchar", 10), typ("text")},
		{typ("nvarchar", 10), raw("BLOB SUB_TYPE TEXT")},
		{typ("integer"), typ("text")},
		{typ("integer"), typ("numeric")},
		{typ("real"), typ("integer")},
		{typ("text"), typ("blob")},
		{typ("integer"), raw("")},
		{typ("float"), typ("double", 5)},
		{typ("text"), raw("TEXT")},
	}
	for _, p := range unsafe {
		check(t, c(p[0]), c(p[1]), true)
	}
	for _, p := range safe {
		check(t, c(p[0]), c(p[1]), false)
	}
	generated := &schema.Column{Name: "c", Type: typ("int"), Generated: &schema.Generated{Expr: "a + 1"}}
	check(t, c(typ("int")), generated, true)
	check(t, generated, c(typ("int")), false)
	notNull := c(typ("int"))
	null := c(typ("int"))
	null.Null = true
	check(t, null, notNull, false)
}
