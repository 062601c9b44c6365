package executor_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// Several processes (separate *sql.DB on one file) apply the same directory
// at once: each migration runs exactly once, and every run ends at head
// without error.
func TestConcurrentApply(t *testing.T) {
	for _, n := range []int{2, 8} {
		t.Run(fmt.Sprintf("%d runs", n), func(t *testing.T) {
			d := heroDir(t, 3)
			path := filepath.Join(t.TempDir(), "app.db")
			execs := make([]*executor.Executor, n)
			for i := range execs {
				execs[i] = &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d}
			}
			results, errs := applyAtOnce(execs)
			applied := map[string]int{}
			for i := range execs {
				if errs[i] != nil {
					t.Errorf("run %d: %v", i, errs[i])
					continue
				}
				if results[i].To != "0003" {
					t.Errorf("run %d ended at %q, want 0003", i, results[i].To)
				}
				for _, m := range results[i].Migrations {
					applied[m.Version]++
				}
			}
			if diff := cmp.Diff(map[string]int{"0001": 1, "0002": 1, "0003": 1}, applied); diff != "" {
				t.Errorf("migrations run per version (-want +got):\n%s", diff)
			}
			hist, err := execs[0].History(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range hist {
				got = append(got, fmt.Sprintf("%s %s ok=%v", r.Direction, r.Version, r.Succeeded()))
			}
			if diff := cmp.Diff([]string{"up 0001 ok=true", "up 0002 ok=true", "up 0003 ok=true"}, got); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
		})
	}
}

// A run that finds the version moved by another process between two of its
// migrations carries on from there, and runs nothing twice. The other
// process runs inside the first one's observer, right after its first
// commit, which makes the interleaving deterministic.
func TestApplyCarriesOnAfterAnotherProcessMovedTheVersion(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 3)
	path := filepath.Join(t.TempDir(), "app.db")
	other := &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d}
	var otherRes *executor.Result
	var otherErr error
	var log []string
	first := &executor.Executor{DB: openDB(t, path), Driver: sqlite.New(), Dir: d}
	first.Observer = func(ev executor.Event) {
		log = append(log, eventString(ev))
		if done, ok := ev.(*executor.MigrationDone); ok && done.Migration.Version == "0001" {
			otherRes, otherErr = other.Apply(ctx, executor.ApplyOptions{})
		}
	}
	res, err := first.Apply(ctx, executor.ApplyOptions{})
	if err != nil || otherErr != nil {
		t.Fatalf("Apply: %v; other Apply: %v", err, otherErr)
	}
	if got := versions(res.Migrations); !cmp.Equal(got, []string{"0001"}) || res.To != "0003" {
		t.Errorf("first run applied %v and ended at %q; want [0001], 0003", got, res.To)
	}
	if got := versions(otherRes.Migrations); !cmp.Equal(got, []string{"0002", "0003"}) {
		t.Errorf("other run applied %v, want [0002 0003]", got)
	}
	if last := log[len(log)-1]; last != `moved "0001" -> "0003"` {
		t.Errorf("last event %q, want the version move", last)
	}
}

// applyAtOnce starts Apply on every executor at the same moment and
// returns their results and errors, by index.
func applyAtOnce(execs []*executor.Executor) ([]*executor.Result, []error) {
	results := make([]*executor.Result, len(execs))
	errs := make([]error, len(execs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, e := range execs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = e.Apply(context.Background(), executor.ApplyOptions{})
		}()
	}
	close(start)
	wg.Wait()
	return results, errs
}
