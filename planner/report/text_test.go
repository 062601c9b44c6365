package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/internal/testflag"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

var update = testflag.Update

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
			p, err := lint.New(tt.cur, tt.des, fakeDialect{}, lint.Options{AllowDestructive: tt.allow})
			var derr *lint.DestructiveError
			if err != nil && !errors.As(err, &derr) {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, p); err != nil {
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

func writeStatements(buf *bytes.Buffer, section string, stmts []planner.Statement) {
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
