package mysql_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/executor"
)

// conns opens n pinned connections to the server's database.
func (s *server) conns(t *testing.T, n int) []*sql.Conn {
	t.Helper()
	out := make([]*sql.Conn, n)
	for i := range out {
		c, err := s.db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		out[i] = c
	}
	return out
}

func (s *server) session(t *testing.T, c *sql.Conn) string {
	t.Helper()
	id, err := s.d.Session(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSessionLock: the handle verifies while held and not after release;
// another session waits for it in vain and sees who holds it.
func TestSessionLock(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	c := s.conns(t, 2)
	l, err := s.d.AcquireLock(ctx, s.db, c[0], time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Verify(ctx); !ok || err != nil {
		t.Fatalf("Verify while held = %v, %v", ok, err)
	}
	if err := l.Renew(ctx); err != nil {
		t.Errorf("Renew = %v", err)
	}
	var le *mysql.LockError
	if _, err := s.d.AcquireLock(ctx, s.db, c[1], time.Second); !errors.As(err, &le) {
		t.Errorf("a second AcquireLock = %v, want a LockError", err)
	}
	h, held, err := s.d.LockHolder(ctx, c[1])
	if err != nil || !held || h.Session != s.session(t, c[0]) || h.User != "root" || h.Command != "Sleep" {
		t.Errorf("LockHolder = %+v, %v, %v; want session %s", h, held, err, s.session(t, c[0]))
	}
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Verify(ctx); ok || err != nil {
		t.Errorf("Verify after release = %v, %v", ok, err)
	}
	if _, held, err := s.d.LockHolder(ctx, c[1]); held || err != nil {
		t.Errorf("LockHolder after release: held %v, %v", held, err)
	}
}

// TestSessionLockKilled: a session killed from another connection holds
// no lock: its handle says so, and the lock is free for the next run.
func TestSessionLockKilled(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	c := s.conns(t, 2)
	l, err := s.d.AcquireLock(ctx, s.db, c[0], time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c[1].ExecContext(ctx, "KILL CONNECTION "+s.session(t, c[0])); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Verify(ctx); ok || err != nil {
		t.Errorf("Verify after KILL = %v, %v; want false, nil", ok, err)
	}
	s.lockFreed(t, c[1])
}

// lockFreed takes and releases the lock on c. The server frees the lock of
// a session it ends as it ends it; waiting for the lock is the way to see
// that.
func (s *server) lockFreed(t *testing.T, c *sql.Conn) {
	t.Helper()
	ctx := context.Background()
	l, err := s.d.AcquireLock(ctx, s.db, c, 30*time.Second)
	if err != nil {
		t.Fatalf("the lock of an ended session: %v", err)
	}
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestForceUnlock: forcing the lock out ends its holder's session, and is
// refused for a session that does not hold it or for the caller's own.
func TestForceUnlock(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	c := s.conns(t, 2)
	holder := s.session(t, c[0])
	if err := s.d.ForceUnlock(ctx, c[1], holder); err == nil || !strings.Contains(err.Error(), "is free") {
		t.Errorf("ForceUnlock of a free lock = %v", err)
	}
	l, err := s.d.AcquireLock(ctx, s.db, c[0], time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.d.ForceUnlock(ctx, c[1], s.session(t, c[1])); err == nil || !strings.Contains(err.Error(), "held by session "+holder+" now") {
		t.Errorf("ForceUnlock of another session = %v", err)
	}
	if err := s.d.ForceUnlock(ctx, c[0], holder); err == nil || !strings.Contains(err.Error(), "release it instead") {
		t.Errorf("ForceUnlock of the caller's own session = %v", err)
	}
	if ok, err := l.Verify(ctx); !ok || err != nil {
		t.Fatalf("a refused ForceUnlock took the lock: %v, %v", ok, err)
	}
	if err := s.d.ForceUnlock(ctx, c[1], holder); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Verify(ctx); ok || err != nil {
		t.Errorf("Verify after ForceUnlock = %v, %v", ok, err)
	}
	s.lockFreed(t, c[1])
}

// TestExecutorStopsWhenLockLost: the run's session is forced out after the
// drift check of 0002, right before the history row would be written: the
// run stops saying the lock was lost, records nothing for 0002, and the
// next run applies it.
func TestExecutorStopsWhenLockLost(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d, err := executor.OpenDir(filepath.Join(t.TempDir(), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	d.Lexer = s.d
	for _, q := range []string{"CREATE TABLE `a` (`id` int NOT NULL PRIMARY KEY)", "CREATE TABLE `b` (`id` int NOT NULL PRIMARY KEY)"} {
		if _, err := d.WritePlanned(q[len("CREATE TABLE "):len("CREATE TABLE `a`")], "h1:same", []executor.Statement{{SQL: q}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	e := s.executor(d, nil)
	side := s.conns(t, 1)[0]
	kills := 0
	// The drift check runs under the lock before each migration: the
	// second one is where another session breaks the lock.
	e.CheckDrift = func(ctx context.Context, conn *sql.Conn, m *executor.Migration) error {
		if v, err := e.Current(ctx); err == nil && v == "0001" && kills == 0 {
			kills++
			h, _, err := s.d.LockHolder(ctx, side)
			if err != nil {
				return err
			}
			return s.d.ForceUnlock(ctx, side, h.Session)
		}
		return nil
	}
	_, err = e.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, executor.ErrLockLost) || !strings.Contains(err.Error(), "0002_b.sql: the migration lock was lost: another session ended this run's session") {
		t.Fatalf("Apply = %v, want the lost lock", err)
	}
	if h := history(t, e); len(h) != 1 || h[0] != "up 0001 1/1 err@0 ok=true" {
		t.Errorf("history %v: nothing of 0002 may be recorded", h)
	}
	if res, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0002" {
		t.Fatalf("Apply after the loss = %+v, %v", res, err)
	}
}

// TestSessionSettingsKept: the executor runs on the application's own pool
// (the Go API), so the session's sql_mode, which a migration changes, is
// put back as it was, and nothing of schemactl's stays in the session (no
// user variable), whether the run succeeds or fails.
func TestSessionSettingsKept(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		second string // the second statement of 0002
		run    func(e *executor.Executor) error
		fail   bool
	}{
		{"apply", "SELECT 1", func(e *executor.Executor) error {
			_, err := e.Apply(ctx, executor.ApplyOptions{})
			return err
		}, false},
		{"failed apply", "INSERT INTO `lair` VALUES (1)", func(e *executor.Executor) error {
			_, err := e.Apply(ctx, executor.ApplyOptions{})
			return err
		}, true},
		{"stamp", "SELECT 1", func(e *executor.Executor) error {
			_, err := e.Stamp(ctx, "head")
			return err
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			// One connection: every session the executor uses is the
			// one the application uses next.
			s.db.SetMaxOpenConns(1)
			s.exec(t, "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,ONLY_FULL_GROUP_BY'")
			type session struct {
				ID       int64
				Mode     string
				Leftover bool // a user variable schemactl set
			}
			read := func() session {
				t.Helper()
				var st session
				if err := s.db.QueryRow("SELECT CONNECTION_ID(), @@SESSION.sql_mode, @schemactl_sql_mode IS NOT NULL").Scan(&st.ID, &st.Mode, &st.Leftover); err != nil {
					t.Fatal(err)
				}
				return st
			}
			before := read()
			err := tc.run(s.executor(lairsDir(t, tc.second), nil))
			switch {
			case tc.fail && err == nil:
				t.Fatal("the run succeeded; the case needs it to fail")
			case !tc.fail && err != nil:
				t.Fatal(err)
			}
			after := read()
			if after.ID != before.ID {
				t.Fatalf("the pool replaced its connection (%d, then %d)", before.ID, after.ID)
			}
			if after != before {
				t.Errorf("session after %s: %+v, want %+v as before", tc.name, after, before)
			}
		})
	}
}
