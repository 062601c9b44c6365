package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

// TestNewRunsEveryCheck: the public lint of a plan runs every check the
// plan's lint runs, the ones that need more than the up changes included:
// the views and triggers of the current schema that read a dropped column
// (BC103), and the rebuilds of the down section that lose what the model
// cannot express (DS107). The old public Lint took the changes alone and
// skipped both.
func TestNewRunsEveryCheck(t *testing.T) {
	cur := realm(heroWith(func(t *schema.Table) { t.Unmodeled = []string{`ON CONFLICT REPLACE on column "name"`} }))
	cur.Schemas[0].Objects = []*schema.Object{{Kind: "view", Name: "ages", SQL: "CREATE VIEW ages AS SELECT age FROM hero"}}
	des := realm(heroWith(func(t *schema.Table) { t.Columns = t.Columns[:3] })) // drops age
	p, err := New(cur, des, lintDialect{Rebuild: true}, Options{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range p.Findings {
		got = append(got, f.Code+" "+f.Message)
	}
	want := []string{
		`DS103 drop column "age" of table "hero"`,
		`BC103 drop column "age" of table "hero": view "ages" may read it and fail once it is gone`,
		`DS107 table "hero" is re-created to carry out the change, which drops what schemactl cannot express: ON CONFLICT REPLACE on column "name"`,
		`HZ101 table "hero" is copied (rebuilt) to carry out the change, and writes to it wait until the copy is done; on a large table this takes long, and needs room for a second copy`,
		`DS107 the down section re-creates table "hero" without what schemactl cannot express: ON CONFLICT REPLACE on column "name"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
