package planner

import (
	"errors"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

func TestSummary(t *testing.T) {
	cur := realm(simple("changed"), simple("gone"), simple("old"))
	des := realm(
		with(simple("changed"), func(t *schema.Table) { t.Comment = "x" }),
		with(simple("new"), func(t *schema.Table) { t.RenamedFrom = "old" }),
		simple("a", "b"), simple("b", "a"), // created with split foreign keys
	)
	cur.Schemas[0].Charset = "latin1"
	des.Schemas[0].Charset = "utf8mb4"
	p, err := New(cur, des, fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	add, change, destroy := p.Summary()
	if add != 2 || change != 3 || destroy != 1 {
		t.Errorf("Summary() = %d, %d, %d; want 2, 3, 1", add, change, destroy)
	}
	if p.Empty() {
		t.Error("Empty() = true")
	}
	p, err = New(cur, cur, fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Error("Empty() = false for identical realms")
	}
	if add, change, destroy := p.Summary(); add+change+destroy != 0 {
		t.Errorf("Summary() of an empty plan = %d, %d, %d", add, change, destroy)
	}
}

type failingDialect struct{ fakeDialect }

func (failingDialect) Render(c schema.Change) ([]string, error) {
	return nil, errors.New("cannot render")
}

func TestNewRenderError(t *testing.T) {
	_, err := New(realm(), realm(hero()), failingDialect{})
	want := `render create table "hero": cannot render`
	if err == nil || err.Error() != want {
		t.Errorf("New() error = %v, want %q", err, want)
	}
}
