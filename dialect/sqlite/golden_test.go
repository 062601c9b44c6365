package sqlite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/internal/testflag"
	"github.com/schemactl/schemactl/schema"
)

var update = testflag.Update

// TestRenderGolden pins the SQL text of every render case, both directions,
// and of the table-level changes, so that a reviewer sees what a migration
// file will contain. Run with -update to rewrite testdata/render.sql.
func TestRenderGolden(t *testing.T) {
	d := New()
	var b strings.Builder
	write := func(title string, c schema.Change) {
		stmts, err := d.Render(c)
		if err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		b.WriteString("-- " + title + "\n")
		for _, s := range stmts {
			b.WriteString(s + ";\n")
		}
		b.WriteString("\n")
	}
	desired := desiredRealm()
	if err := d.Normalize(desired); err != nil {
		t.Fatal(err)
	}
	for _, tab := range desired.Schemas[0].Tables {
		write("add table "+tab.Name, &schema.AddTable{T: tab})
	}
	write("drop table", &schema.DropTable{T: items()()})
	write("rename table", &schema.RenameTable{From: "items", To: "goods"})
	for _, tc := range renderCases() {
		from, to := tc.from(), tc.to()
		write(tc.name+": up", &schema.ModifyTable{From: from, To: to, Changes: tc.changes(from, to)})
		from, to = tc.from(), tc.to()
		write(tc.name+": down", &schema.ModifyTable{From: to, To: from, Changes: invert(tc.changes(from, to))})
	}
	golden := filepath.Join("testdata", "render.sql")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("rendered SQL differs from %s (-want +got):\n%s", golden, diff)
	}
}

func TestRenderErrors(t *testing.T) {
	d := New()
	tests := []struct {
		name string
		c    schema.Change
		want string
	}{
		{"unknown change", &schema.AddColumn{C: col("x", typ("int"), true)}, "unsupported change *schema.AddColumn"},
		{"autoincrement outside the key", &schema.AddTable{T: &schema.Table{Name: "t",
			Columns:    []*schema.Column{{Name: "id", Type: typ("integer"), AutoIncrement: true}, col("v", typ("int"), false)},
			PrimaryKey: pk("id", "v")}}, `auto_increment on column "id"`},
		{"expression in a unique constraint", &schema.AddTable{T: &schema.Table{Name: "t",
			Columns: []*schema.Column{col("v", typ("int"), false)},
			Indexes: []*schema.Index{{Name: "sqlite_autoindex_t_1", Unique: true, Parts: []schema.IndexPart{{Expr: "v + 1"}}}}}}, "only have column parts"},
		{"index without parts", &schema.AddTable{T: &schema.Table{Name: "t",
			Columns: []*schema.Column{col("v", typ("int"), false)},
			Indexes: []*schema.Index{{Name: "i"}}}}, "has no parts"},
		{"modify without tables", &schema.ModifyTable{}, "From and To are both required"},
	}
	for _, tt := range tests {
		_, err := d.Render(tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}
