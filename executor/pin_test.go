package executor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

const seedA = `-- schemactl 0002 "seed a"
-- revises: 0001
-- +up
INSERT INTO hero (name, secret_name) VALUES ('A', 'a');
-- +down
DELETE FROM hero WHERE name = 'A';
`

// heroNames lists the heroes' names, in id order.
func heroNames(t *testing.T, e *executor.Executor) []string {
	t.Helper()
	return queryStrings(t, e.DB, "SELECT name FROM hero ORDER BY id")
}

func rehash(t *testing.T, d *executor.Dir) {
	t.Helper()
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
}

// TestPinnedBranchMerge is the README's old "renumber, then hash" recipe
// after a branch merge: the database ran 0002_seed_a; the merged directory
// has 0002_seed_b and 0003_seed_a. Apply used to run 0003 (A twice) and
// skip 0002 (B never). It is refused, naming the file the applied
// statements moved to, and nothing runs; so is a dry run, and status says.
func TestPinnedBranchMerge(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 1)
	writeFile(t, d, "0002_seed_a.sql", seedA)
	rehash(t, d)
	e, _ := newExec(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(filepath.Join(d.Path(), "0002_seed_a.sql")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, d, "0002_seed_b.sql", strings.NewReplacer("seed a", "seed b", "'A'", "'B'", "'a'", "'b'").Replace(seedA))
	writeFile(t, d, "0003_seed_a.sql", strings.NewReplacer("0002", "0003", "0001", "0002").Replace(seedA))
	rehash(t, d)

	for _, dry := range []bool{true, false} {
		_, err := e.Apply(ctx, executor.ApplyOptions{DryRun: dry})
		var ee *executor.EditedError
		if !errors.As(err, &ee) || !errors.Is(err, executor.ErrEdited) {
			t.Fatalf("Apply (dry run %v) = %v, want an EditedError", dry, err)
		}
		if len(ee.Edits) != 1 || ee.Edits[0].Version != "0002" || ee.Edits[0].MovedTo != "0003_seed_a.sql" ||
			ee.Edits[0].What != "up statement 1 of 1" {
			t.Errorf("edits: %+v", ee.Edits[0])
		}
		for _, want := range []string{"0002_seed_b.sql: up statement 1 of 1 differs from what this database applied as 0002",
			"those of 0003_seed_a.sql now", "--accept-edited 0002"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	}
	if got := heroNames(t, e); !slices.Equal(got, []string{"A"}) {
		t.Errorf("heroes = %q, want [A]: a refused run changed the data", got)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Edits) != 1 || st.Edits[0].Version != "0002" || len(st.NotPinned) != 0 {
		t.Errorf("status edits %+v, not pinned %v", st.Edits, st.NotPinned)
	}
}

// TestPinnedIgnoresCommentsAndBlanks: a reviewed fix of comments or
// layout, re-hashed, does not stop an environment; MySQL's executable
// comments count as statements.
func TestPinnedIgnoresCommentsAndBlanks(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 2)
	e, _ := newExec(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(d.Path(), "0001_init_db.sql"), func(s string) string {
		s = strings.Replace(s, "-- +up\n", "-- +up\n-- Reviewed in PR 7.\n", 1)
		s = strings.Replace(s, "CREATE INDEX `ix_hero_name` ON `hero` (`name`)", "CREATE INDEX `ix_hero_name`\n    ON `hero` ( `name` ) /* by name */", 1)
		return s
	})
	rehash(t, d)
	st, err := e.Status(ctx)
	if err != nil || len(st.Edits) != 0 {
		t.Fatalf("status after a comment fix: edits %v, %v", st.Edits, err)
	}
	if _, err := e.Downgrade(ctx, "base"); err != nil {
		t.Fatalf("downgrade after a comment fix: %v", err)
	}
}

// TestPinnedDownEditAccepted: an applied file whose down section was
// edited and re-hashed is not reverted with statements that never ran
// forward; --accept-edited records the reviewed file once, and the edited
// down section runs.
func TestPinnedDownEditAccepted(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 2)
	e, log := newExec(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(d.Path(), "0002_new_field_power.sql"), func(s string) string {
		return strings.Replace(s, "ALTER TABLE `hero` DROP COLUMN `power`;", "ALTER TABLE `hero` DROP COLUMN `power`;\n\nCREATE TABLE `gone` (`id` integer);", 1)
	})
	rehash(t, d)
	_, err := e.Downgrade(ctx, "-1")
	if !errors.Is(err, executor.ErrEdited) || !strings.Contains(err.Error(), "the down section (2 statements, 1 applied)") {
		t.Fatalf("Downgrade = %v, want the edited down section refused", err)
	}
	if !slices.Contains(columns(t, e.DB, "hero"), "power") {
		t.Fatal("a refused downgrade changed the schema")
	}

	e.AcceptEdited = []string{"2"}
	*log = nil
	if _, err := e.Downgrade(ctx, "-1"); err != nil {
		t.Fatal(err)
	}
	if (*log)[0] != "accepted 0002" {
		t.Errorf("events %q, want the acceptance first", *log)
	}
	if !slices.Contains(tables(t, e.DB), "gone") {
		t.Error("the accepted down section did not run")
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// The file is now what 0002 ran as: the flag records nothing more.
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	var accepts int
	for _, r := range mustHistory(t, e) {
		if r.Direction == executor.Accept {
			accepts++
		}
	}
	if accepts != 1 {
		t.Errorf("%d acceptances recorded, want 1", accepts)
	}

	e.AcceptEdited = []string{"0009"}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err == nil || !strings.Contains(err.Error(), `accept edited "0009": no such migration`) {
		t.Errorf("accepting an unknown version: %v", err)
	}
}

// TestPinnedNotBelowStamp: versions a stamp passed over have no row to
// compare with: reported, not refused.
func TestPinnedNotBelowStamp(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 3)
	e, _ := newExec(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Stamp(ctx, "0002"); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(d.Path(), "0002_new_field_power.sql"), func(s string) string {
		return strings.ReplaceAll(s, "`power` integer", "`power` text")
	})
	rehash(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := e.Status(ctx)
	if err != nil || len(st.Edits) != 0 || !slices.Equal(st.NotPinned, []string{"0002"}) {
		t.Fatalf("status: edits %v, not pinned %v, %v", st.Edits, st.NotPinned, err)
	}
}

// TestPinnedOlderRows: rows written before format 3 have no pins. A SQLite
// row has only the file's checksum; a MySQL row the raw hashes of the up
// statements, which tell a comment fix from an edit.
func TestPinnedOlderRows(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		autocommit  bool
		comment     bool // a comment fix rather than an edit
		refusedWith string
	}{
		{"sqlite comment", false, true, "only its checksum is known"},
		{"mysql comment", true, true, ""},
		{"mysql edit", true, false, "up statement 2 of 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := heroDir(t, 1)
			e, _ := newExec(t, d)
			if tc.autocommit {
				e.Driver = autocommit{e.Driver.(*sqlite.Dialect)}
			}
			if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.DB.Exec("UPDATE schemactl_version_history SET pins = NULL"); err != nil {
				t.Fatal(err)
			}
			editFile(t, filepath.Join(d.Path(), "0001_init_db.sql"), func(s string) string {
				if tc.comment {
					return strings.Replace(s, "-- +up\n", "-- +up\n-- Reviewed.\n", 1)
				}
				return strings.Replace(s, "(`name`)", "(`name`, `age`)", 1)
			})
			rehash(t, d)
			_, err := e.Apply(ctx, executor.ApplyOptions{})
			switch {
			case tc.refusedWith == "" && err != nil:
				t.Errorf("Apply = %v, want it to pass", err)
			case tc.refusedWith != "" && (!errors.Is(err, executor.ErrEdited) || !strings.Contains(err.Error(), tc.refusedWith)):
				t.Errorf("Apply = %v, want refused with %q", err, tc.refusedWith)
			}
		})
	}
}

// TestAcceptDoesNotHidePartial: an acceptance is a history row, but not a
// run: the partly applied migration after it is still resumed.
func TestAcceptDoesNotHidePartial(t *testing.T) {
	ctx := context.Background()
	d := partialDir(t)
	e, log := newExec(t, d)
	e.Driver = autocommit{e.Driver.(*sqlite.Dialect)}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err == nil {
		t.Fatal("the broken migration applied")
	}
	editFile(t, filepath.Join(d.Path(), "0001_init_db.sql"), func(s string) string {
		return strings.Replace(s, "(`name`)", "(`name`, `age`)", 1)
	})
	fixLairs(t, d, "INSERT INTO `lair` VALUES (1)", "CREATE TABLE `lair` (`id` integer)")
	e.AcceptEdited = []string{"0001"}
	*log = nil
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(*log, "start up 0002 lairs resume=1") {
		t.Errorf("events %q: the partial run was not resumed", *log)
	}
}

func mustHistory(t *testing.T, e *executor.Executor) []executor.Record {
	t.Helper()
	rs, err := e.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
