package executor

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/sqlite"
)

// TestConnLock: the lock of a driver without LockAcquirer (SQLite's) is
// held while its connection lives and until it is released.
func TestConnLock(t *testing.T) {
	ctx := context.Background()
	db, _, err := sqlite.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := &Executor{DB: db, Driver: sqlite.New(), LockTimeout: time.Second}
	for _, end := range []string{"release", "close"} {
		conn, l, release, err := e.lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := l.Verify(ctx); !ok || err != nil {
			t.Fatalf("Verify while held = %v, %v", ok, err)
		}
		if err := l.Renew(ctx); err != nil {
			t.Errorf("Renew = %v", err)
		}
		if end == "close" {
			conn.Close()
		} else if err := l.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := l.Verify(ctx); ok || err != nil {
			t.Errorf("Verify after %s = %v, %v; want false", end, ok, err)
		}
		if err := release(); end == "release" && err != nil {
			t.Errorf("release after Release = %v", err)
		}
	}
}
