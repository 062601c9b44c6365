package fleet_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// TestPlanGroups: every target is planned as a dry run; the ones whose
// schemas match share one plan, a drifted one gets its own, a target
// behind the head fails, and nothing is written anywhere.
func TestPlanGroups(t *testing.T) {
	ctx := context.Background()
	dir := migrationDir(t)
	ts := sqliteFleet(t, 8, dir)
	if rs := fleet.Apply(ctx, ts[:7], fleet.Options{Concurrency: 4}, engine.ApplyOptions{}); !fleet.Reached(rs) {
		t.Fatalf("apply: %+v", rs)
	}
	breakSQLite(t, ts[2], "CREATE INDEX hero_id ON hero (id)")
	breakSQLite(t, ts[5], "CREATE INDEX hero_id ON hero (id)")
	breakSQLite(t, ts[7], "CREATE TABLE hero (id int NOT NULL PRIMARY KEY)") // at base

	hcl := filepath.Join(t.TempDir(), "schema.hcl")
	src := `schema "main" {}
table "hero" {
  schema = schema.main
  column "id" {
    type = int
  }
  column "name" {
    type = text
    null = true
  }
  primary_key {
    columns = [column.id]
  }
}
`
	for _, name := range []string{"a", "b", "c"} {
		src += strings.ReplaceAll(`table "NAME" {
  schema = schema.main
  column "id" {
    type = int
  }
  primary_key {
    columns = [column.id]
  }
}
`, "NAME", name)
	}
	if err := os.WriteFile(hcl, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}

	var heard int
	rs := fleet.Plan(ctx, ts, fleet.Options{Concurrency: 3, Done: func(r fleet.Result) {
		heard++
		if r.Outcome == fleet.OK && r.Plan == nil {
			t.Errorf("Done heard of %s without its plan", r.Target)
		}
	}}, engine.PlanOptions{Schema: []string{hcl}, Message: "ignored", AllowDestructive: true})
	if heard != len(ts) {
		t.Errorf("Done heard of %d targets, want %d", heard, len(ts))
	}
	groups := fleet.Group(rs)
	if len(groups) != 2 {
		t.Fatalf("%d plans, want 2 (the fleet's, the drifted ones'): %+v", len(groups), groups)
	}
	if want := []int{0, 1, 3, 4, 6}; !slices.Equal(groups[0].Targets, want) {
		t.Errorf("plan 1 is for targets %v, want %v", groups[0].Targets, want)
	}
	if want := []int{2, 5}; !slices.Equal(groups[1].Targets, want) {
		t.Errorf("plan 2 is for targets %v, want %v", groups[1].Targets, want)
	}
	if up := groups[1].Plan.Up; len(up) == 0 || !strings.Contains(up[0].SQL, "hero_id") {
		t.Errorf("the drifted targets' plan does not drop their index: %+v", up)
	}
	if r := rs[7]; r.Outcome != fleet.Failed || r.Plan != nil || r.To != "0003" {
		t.Errorf("the target behind the head: %+v, want failed, no plan", r)
	}
	after, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the directory went from %d to %d files: a fleet plan writes nothing", len(before), len(after))
	}
}

// TestGroupShowsTheLargest: targets with the same statements share a
// plan, shown with the sizes of the target whose copies take longest, not
// of whichever came first.
func TestGroupShowsTheLargest(t *testing.T) {
	stmt := []planner.Statement{{SQL: "ALTER TABLE t MODIFY a bigint"}}
	sized := func(rows int64, copy time.Duration) *engine.Plan {
		return &engine.Plan{Plan: &lint.Plan{
			Plan:       &planner.Plan{Up: stmt, Down: stmt, Changes: []schema.Change{&schema.ModifyTable{}}},
			Algorithms: []lint.Algorithm{{Table: "t", Algorithm: "COPY", BlocksWrites: true, Size: &lint.TableSize{Rows: rows}, CopyTime: copy}},
		}}
	}
	rs := []fleet.Result{
		{Plan: sized(0, 0)},
		{Plan: sized(2_000_000, 7*time.Second)},
		{Plan: sized(10, time.Millisecond)},
	}
	groups := fleet.Group(rs)
	if len(groups) != 1 || len(groups[0].Targets) != 3 {
		t.Fatalf("groups: %+v, want one of 3 targets", groups)
	}
	if g := groups[0]; g.Largest != 1 || g.Plan != rs[1].Plan {
		t.Errorf("the group shows target %d's sizes, want target 1's (2,000,000 rows)", g.Largest)
	}
}
