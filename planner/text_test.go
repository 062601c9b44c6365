package planner

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestWriteText pins the text plan of typical migrations, and below it the
// statements (rendered by the fake dialect) of the up and down sections, so
// that the order and comments of both are reviewed in the golden files.
func TestWriteText(t *testing.T) {
	tests := []struct {
		name     string
		cur, des *schema.Realm
		allow    bool
	}{
		{name: "empty", cur: realm(hero()), des: realm(hero())},
		{name: "heroes_init", cur: realm(), des: realm(hero())},
		{
			name: "heroes_power",
			cur:  realm(hero()),
			des:  realm(with(hero(), func(t *schema.Table) { t.Columns = append(t.Columns, col("power", typ("integer"), true)) })),
		},
		{
			name: "heroes_drop_power_refused",
			cur:  realm(with(hero(), func(t *schema.Table) { t.Columns = append(t.Columns, col("power", typ("integer"), true)) })),
			des:  realm(hero()),
		},
		{name: "rename", cur: realm(users()), des: realm(members())},
		{name: "rename_hint_names_nothing", cur: realm(), des: realm(members())},
		{name: "cycle", cur: realm(), des: realm(simple("teams", "players"), simple("players", "teams"))},
		{
			name:  "cycle_dropped",
			cur:   realm(simple("teams", "players"), simple("players", "teams"), simple("coach", "teams")),
			des:   realm(),
			allow: true,
		},
		{name: "everything", cur: everythingCurrent(), des: everythingDesired(), allow: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.cur, tt.des, fakeDialect{}, Options{AllowDestructive: tt.allow})
			var derr *DestructiveError
			if err != nil && !errors.As(err, &derr) {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := p.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if derr != nil {
				fmt.Fprintf(&buf, "\nerror: %v\n", derr)
			}
			writeStatements(&buf, "up", p.Up)
			writeStatements(&buf, "down", p.Down)
			golden(t, filepath.Join("testdata", tt.name+".txt"), buf.Bytes())
		})
	}
}

func writeStatements(buf *bytes.Buffer, section string, stmts []Statement) {
	fmt.Fprintf(buf, "\n-- +%s\n", section)
	for _, s := range stmts {
		if s.Comment != "" {
			fmt.Fprintf(buf, "-- %s\n", s.Comment)
		}
		fmt.Fprintf(buf, "%s;\n", s.SQL)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// everythingCurrent and everythingDesired differ in one of every kind of
// change the text plan shows.
func everythingCurrent() *schema.Realm {
	r := realm(
		withTeam(with(hero(), func(t *schema.Table) {
			t.Columns = append(t.Columns, col("legacy", typ("text"), true))
			t.Checks = []*schema.Check{check("age_positive", "age > 0"), check("", "id > 0")}
		}), true),
		team(),
		users(),
		simple("audit"),
	)
	r.Schemas[0].Charset = "latin1"
	return r
}

func everythingDesired() *schema.Realm {
	h := withTeam(hero(), false)
	h.Columns[1].Name, h.Columns[1].RenamedFrom = "full_name", "name"
	h.Indexes[0].Name, h.Indexes[0].RenamedFrom = "hero_full_name_idx", "hero_name_idx"
	h.Indexes[0].Parts[0].Column = "full_name"
	h.Columns[3].Type, h.Columns[3].Null = typ("bigint"), false
	h.Columns[3].Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"}
	h.Columns = append(h.Columns,
		col("power", typ("integer"), true),
		&schema.Column{Name: "motto", Type: typ("varchar", 20), Default: &schema.Default{Kind: schema.DefaultString, Value: "it's on"}, Comment: "shout"},
	)
	h.Indexes = append(h.Indexes, &schema.Index{
		Name: "hero_power_idx", Unique: true, Where: "power > 0",
		Parts: []schema.IndexPart{{Column: "power", Desc: true}, {Expr: "lower(motto)"}},
	})
	h.ForeignKeys = []*schema.ForeignKey{{
		Name: "hero_team_fk", Columns: []string{"team_id"}, RefTable: "team", RefColumns: []string{"id"},
		OnDelete: schema.SetNull,
	}}
	h.Checks = []*schema.Check{check("age_positive", "age >= 0")}
	h.PrimaryKey = pk("id", "full_name")
	h.Comment, h.Strict = "heroes", true

	r := realm(h, team(), members(), simple("mission", "team"))
	r.Schemas[0].Charset = "utf8mb4"
	return r
}

func TestNewDestructive(t *testing.T) {
	cur := realm(with(hero(), func(t *schema.Table) {
		t.Columns = append(t.Columns,
			col("power", typ("integer"), true),
			&schema.Column{Name: "shout", Type: typ("text"), Null: true, Generated: &schema.Generated{Expr: "upper(name)"}},
		)
	}), team())
	des := realm(with(hero(), func(t *schema.Table) {
		t.Columns[1].Type = typ("varchar", 10)
		t.Columns[3].Type = typ("integer", 11) // wider: not narrowing for the fake dialect
	}))

	p, err := New(cur, des, fakeDialect{}, Options{})
	var derr *DestructiveError
	if !errors.As(err, &derr) {
		t.Fatalf("New() error = %v, want a *DestructiveError", err)
	}
	if p == nil || len(p.Up) == 0 {
		t.Fatal("New() returned no plan beside the error")
	}
	want := []string{
		`DS103 drop column "power" of table "hero"`,
		`DS104 table "hero": column "name" changes from text to varchar(10)`,
		`DS102 drop table "team" (2 columns)`,
	}
	var got []string
	for _, f := range derr.Findings {
		got = append(got, f.Code+" "+f.Message)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
	wantErr := `plan has 3 destructive change(s): drop column "power" of table "hero" (DS103); ` +
		`table "hero": column "name" changes from text to varchar(10) (DS104); ` +
		`drop table "team" (2 columns) (DS102); use --allow-destructive`
	if err.Error() != wantErr {
		t.Errorf("error text:\n got %s\nwant %s", err, wantErr)
	}
	if _, ok := derr.Findings[0].Change.(*schema.DropColumn); !ok {
		t.Errorf("finding change is %T, want *schema.DropColumn", derr.Findings[0].Change)
	}

	p, err = New(cur, des, fakeDialect{}, Options{AllowDestructive: true})
	if err != nil {
		t.Fatalf("New(AllowDestructive) error = %v", err)
	}
	if len(p.Destructive) != 3 {
		t.Errorf("AllowDestructive plan has %d findings, want 3", len(p.Destructive))
	}
}

func TestNewRenameIsNotDestructive(t *testing.T) {
	p, err := New(realm(users()), realm(members()), fakeDialect{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Destructive) != 0 {
		t.Errorf("findings = %v, want none", p.Destructive)
	}
}

func TestSummary(t *testing.T) {
	cur := realm(simple("changed"), simple("gone"), simple("old"))
	des := realm(
		with(simple("changed"), func(t *schema.Table) { t.Comment = "x" }),
		with(simple("new"), func(t *schema.Table) { t.RenamedFrom = "old" }),
		simple("a", "b"), simple("b", "a"), // created with split foreign keys
	)
	cur.Schemas[0].Charset = "latin1"
	des.Schemas[0].Charset = "utf8mb4"
	p, err := New(cur, des, fakeDialect{}, Options{AllowDestructive: true})
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
	p, err = New(cur, cur, fakeDialect{}, Options{})
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
	_, err := New(realm(), realm(hero()), failingDialect{}, Options{})
	want := `planner: render create table "hero": cannot render`
	if err == nil || err.Error() != want {
		t.Errorf("New() error = %v, want %q", err, want)
	}
}
