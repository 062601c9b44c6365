package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/schemagen"
	"github.com/schemactl/schemactl/schema"
)

// buildSchemactl builds the real binary, as a user runs it, into dir.
func buildSchemactl(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "schemactl")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// result is what one process printed and how it ended.
type result struct {
	code           int
	stdout, stderr string
}

func runBinary(bin string, args ...string) result {
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
		errb.WriteString(err.Error())
	}
	return result{code, out.String(), errb.String()}
}

var applyingLine = regexp.MustCompile(`(?m)^Applying (\d+) `)

// TestConcurrentApplyProcesses starts 2, then 8 apply processes of the real
// binary against one SQLite database at the same moment. Each migration
// must run in exactly one of them (its output and the history table say
// so), every process must end well at the head, and the schema must be the
// head's.
func TestConcurrentApplyProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	work := t.TempDir()
	bin := buildSchemactl(t, work)
	open := func(url string) (*sql.DB, error) {
		db, _, err := sqlite.Open(context.Background(), url)
		return db, err
	}
	c := newChain(t, work, open, "sqlite://"+filepath.Join(work, "reference.db"), crashSeed, schemagen.Config{Dialect: schema.SQLite})
	for _, n := range []int{2, 8} {
		t.Run(fmt.Sprintf("%d processes", n), func(t *testing.T) {
			url := "sqlite://" + filepath.Join(t.TempDir(), "app.db")
			concurrentApplies(t, bin, c, n, url, open, sqlite.New())
		})
	}

	// While another connection holds the database's write lock, apply waits
	// --lock-timeout, then fails clearly, having run nothing; once the lock
	// is free it runs.
	t.Run("lock timeout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "app.db")
		url := "sqlite://" + path
		db, err := open(url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		r := runBinary(bin, "apply", "--url", url, "--dir", c.dir, "--lock-timeout", "700ms")
		waited := time.Since(began)
		if r.code != 1 || !strings.Contains(r.stderr, "another migration run holds the lock (waited 700ms)") {
			t.Errorf("apply under a held lock: exit %d, want 1 with a clear message\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		if waited < 700*time.Millisecond {
			t.Errorf("apply gave up after %s, before --lock-timeout", waited)
		}
		if strings.Contains(r.stdout, "Applying") {
			t.Errorf("apply ran something while locked out:\n%s", r.stdout)
		}
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		if got := schemactl(t, 0, "status", "--url", url, "--dir", c.dir); !strings.Contains(got, "Version:    base") {
			t.Errorf("status after a locked-out apply:\n%s", got)
		}
		if r := runBinary(bin, "apply", "--url", url, "--dir", c.dir, "--lock-timeout", "700ms"); r.code != 0 {
			t.Errorf("apply once the lock is free: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}

// concurrentApplies starts n apply processes of bin against url at the same
// moment and checks that each migration ran in exactly one of them, that
// every process ended well at the head, that the history has one row per
// migration and that the schema is the head's.
func concurrentApplies(t *testing.T, bin string, c *chain, n int, url string, open func(string) (*sql.DB, error), driver executor.Driver) {
	t.Helper()
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = runBinary(bin, "apply", "--url", url, "--dir", c.dir, "--lock-timeout", "60s")
		}()
	}
	close(start)
	wg.Wait()
	ran := map[string]int{}
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("process %d: exit %d\n%s%s", i, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "Database is at "+c.head()+" (head).") {
			t.Errorf("process %d did not end at the head:\n%s", i, r.stdout)
		}
		for _, m := range applyingLine.FindAllStringSubmatch(r.stdout, -1) {
			ran[m[1]]++
		}
	}
	want := map[string]int{}
	for _, v := range c.versions {
		want[v] = 1
	}
	if diff := cmp.Diff(want, ran); diff != "" {
		t.Errorf("migrations run per version, from the processes' output (-want +got):\n%s", diff)
	}
	db, err := open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir, err := executor.OpenDir(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := (&executor.Executor{DB: db, Driver: driver, Dir: dir}).History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got, wantHist []string
	for _, r := range hist {
		got = append(got, fmt.Sprintf("%s %s ok=%v", r.Direction, r.Version, r.Succeeded()))
	}
	for _, v := range c.versions {
		wantHist = append(wantHist, fmt.Sprintf("up %s ok=true", v))
	}
	if diff := cmp.Diff(wantHist, got); diff != "" {
		t.Errorf("history table (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(c.schemas[c.head()], schemactl(t, 0, "inspect", "--url", url, "--dir", c.dir)); diff != "" {
		t.Errorf("schema differs from the head's (-want +got):\n%s", diff)
	}
}

// TestConcurrentApplyProcessesMariaDB is TestConcurrentApplyProcesses on
// MariaDB, where the lock is GET_LOCK for the whole run: 2 and 8 processes
// at once, then one that waits --lock-timeout for a lock another session
// holds and gives up having run nothing.
func TestConcurrentApplyProcessesMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	m := newMariaTarget(t)
	u, name, d, open, reset := m.url, m.name, m.d, m.open, m.reset
	work := t.TempDir()
	bin := buildSchemactl(t, work)
	c := newChain(t, work, open, u.String(), crashSeed, schemagen.Config{Dialect: schema.MySQL, Schema: name, MariaDB: d.Flavor.MariaDB})
	for _, n := range []int{2, 8} {
		t.Run(fmt.Sprintf("%d processes", n), func(t *testing.T) {
			reset(t)
			concurrentApplies(t, bin, c, n, u.String(), open, d)
		})
	}
	t.Run("lock timeout", func(t *testing.T) {
		reset(t)
		db, err := open("")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var got int
		if err := conn.QueryRowContext(context.Background(), "SELECT GET_LOCK(?, 0)", "schemactl:"+name).Scan(&got); err != nil || got != 1 {
			t.Fatalf("GET_LOCK = %d, %v", got, err)
		}
		r := runBinary(bin, "apply", "--url", u.String(), "--dir", c.dir, "--lock-timeout", "1s")
		if r.code != 1 || !strings.Contains(r.stderr, "another migration run holds the lock") {
			t.Errorf("apply under a held lock: exit %d, want 1 with a clear message\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout, "Applying") {
			t.Errorf("apply ran something while locked out:\n%s", r.stdout)
		}
		if _, err := conn.ExecContext(context.Background(), "DO RELEASE_LOCK(?)", "schemactl:"+name); err != nil {
			t.Fatal(err)
		}
		if r := runBinary(bin, "apply", "--url", u.String(), "--dir", c.dir, "--lock-timeout", "1s"); r.code != 0 {
			t.Errorf("apply once the lock is free: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
