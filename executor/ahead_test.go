package executor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

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

// TestAllowAheadEmptyDirectory: an empty directory (a wrong fs.Sub path
// gives one) shows nothing about where the database's version came from,
// so AllowAhead refuses it, and the message names the directory even when
// it has no path.
func TestAllowAheadEmptyDirectory(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 2))
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dir  *executor.Dir
		want string
	}{
		{"embedded", executor.OpenFS(fstest.MapFS{}), "the embedded migration directory is empty"},
		{"on disk", mustOpenDir(t, mkdir(t, filepath.Join(t.TempDir(), "nowhere"))), "nowhere is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			empty := &executor.Executor{DB: e.DB, Driver: e.Driver, Dir: tc.dir}
			res, err := empty.Apply(ctx, executor.ApplyOptions{AllowAhead: true})
			if !errors.Is(err, executor.ErrUnknownVersion) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Apply of an empty directory with AllowAhead = %+v, %v; want ErrUnknownVersion saying %q", res, err, tc.want)
			}
		})
	}
}

// TestAllowAheadNamesEmbeddedDirectory: a database behind an embedded
// directory's head but at a version it lacks is refused with a message
// that names the directory, which has no path.
func TestAllowAheadNamesEmbeddedDirectory(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 1))
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec("UPDATE schemactl_version SET version_num = '0000'"); err != nil {
		t.Fatal(err)
	}
	embedded := &executor.Executor{DB: e.DB, Driver: e.Driver, Dir: embed(t, heroDir(t, 2))}
	_, err := embedded.Apply(ctx, executor.ApplyOptions{AllowAhead: true})
	if want := "it is not ahead of the embedded migration directory, whose head is 0002"; !errors.Is(err, executor.ErrUnknownVersion) || !strings.Contains(err.Error(), want) {
		t.Errorf("Apply = %v; want ErrUnknownVersion saying %q", err, want)
	}
}

func mustOpenDir(t *testing.T, path string) *executor.Dir {
	t.Helper()
	d, err := executor.OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// embed copies the files of a directory on disk into one in memory, as a
// program embeds them.
func embed(t *testing.T, disk *executor.Dir) *executor.Dir {
	t.Helper()
	entries, err := os.ReadDir(disk.Path())
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, ent := range entries {
		data, err := os.ReadFile(filepath.Join(disk.Path(), ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fsys[ent.Name()] = &fstest.MapFile{Data: data}
	}
	d := executor.OpenFS(fsys)
	d.Lexer = disk.Lexer
	return d
}

func mkdir(t *testing.T, path string) string {
	t.Helper()
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
