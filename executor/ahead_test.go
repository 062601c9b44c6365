package executor_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/executor"
)

// TestAllowAhead: an application rolled back to a build with fewer
// migrations starts on a database its newer build migrated further, and
// only on such a database.
func TestAllowAhead(t *testing.T) {
	ctx := context.Background()
	newer := heroDir(t, 3)
	e, _ := newExec(t, newer)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	older := &executor.Executor{DB: e.DB, Driver: e.Driver, Dir: heroDir(t, 2)}

	if _, err := older.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, executor.ErrUnknownVersion) {
		t.Fatalf("Apply without AllowAhead: %v, want ErrUnknownVersion", err)
	}
	res, err := older.Apply(ctx, executor.ApplyOptions{AllowAhead: true})
	if err != nil || !res.Ahead || res.To != "0003" || len(res.Migrations) != 0 {
		t.Fatalf("Apply with AllowAhead = %+v, %v; want ahead at 0003, nothing run", res, err)
	}
	if v := mustCurrent(t, older); v != "0003" {
		t.Errorf("version %q after an ahead start", v)
	}

	// Another branch's 0002 is not the history this database went
	// through: refused, saying why.
	other := heroDir(t, 1)
	if _, err := other.Write("another branch", heroSteps[2].up, heroSteps[2].down); err != nil {
		t.Fatal(err)
	}
	branch := &executor.Executor{DB: e.DB, Driver: e.Driver, Dir: other}
	_, err = branch.Apply(ctx, executor.ApplyOptions{AllowAhead: true})
	if !errors.Is(err, executor.ErrUnknownVersion) || !strings.Contains(err.Error(), "does not show 0002") {
		t.Errorf("Apply of another branch with AllowAhead: %v", err)
	}

	// Reverted below the old head: not ahead any more, and the version
	// is one the older directory knows, so it simply applies.
	if _, err := e.Downgrade(ctx, "0001"); err != nil {
		t.Fatal(err)
	}
	res, err = older.Apply(ctx, executor.ApplyOptions{AllowAhead: true})
	if err != nil || res.Ahead || res.To != "0002" {
		t.Errorf("Apply after the downgrade = %+v, %v; want 0002 applied", res, err)
	}
}
