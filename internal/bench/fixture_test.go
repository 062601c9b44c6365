package bench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	driver "github.com/go-sql-driver/mysql"
	"github.com/schemactl/schemactl/schema"
)

// TestMain owns what the benchmarks of one run share: generated HCL, the
// up-to-date databases (minutes to build at 10,000 tables) and the built
// binary; it removes them, and drops the MariaDB databases, at the end.
//
// With SCHEMACTL_BENCH_CACHE=dir the databases are kept there (SQLite) and
// on the server (MariaDB, as schemactl_bench_*) and reused by later runs
// after a check that they still plan to nothing.
func TestMain(m *testing.M) {
	if report := os.Getenv(launchEnv); report != "" {
		os.Exit(launch(report))
	}
	flag.Parse()
	code := m.Run()
	if err := fixtures.close(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
	}
	os.Exit(code)
}

// fixtureSet is the per-process cache of fixtures. Benchmarks run one at a
// time, but the mutex keeps it honest.
type fixtureSet struct {
	mu      sync.Mutex
	root    string
	built   map[string]string // key → directory
	bin     string
	dropDBs []string
}

var fixtures = &fixtureSet{built: map[string]string{}}

func (f *fixtureSet) scratch(tb testing.TB) string {
	if f.root == "" {
		dir, err := os.MkdirTemp("", "schemactl-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		f.root = dir
	}
	return f.root
}

func (f *fixtureSet) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var first error
	if len(f.dropDBs) > 0 {
		if err := dropDatabases(f.dropDBs); err != nil {
			first = err
		}
	}
	if f.root != "" {
		if err := os.RemoveAll(f.root); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// cacheDir is where fixtures persist across runs; "" means they do not.
func cacheDir() string { return os.Getenv("SCHEMACTL_BENCH_CACHE") }

// schemaFiles writes the generated schema of n tables for dialect d (and
// its 1%-changed variant) and returns the directory holding schema.hcl
// and changed.hcl.
func schemaFiles(tb testing.TB, d schema.Dialect, name string, n int) string {
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	key := fmt.Sprintf("hcl-%s-%s-%d", d, name, n)
	if dir, ok := fixtures.built[key]; ok {
		return dir
	}
	dir := filepath.Join(fixtures.scratch(tb), key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	r := Realm(d, name, n)
	for file, realm := range map[string]*schema.Realm{"schema.hcl": r, "changed.hcl": Change(r)} {
		src, err := Encode(realm, d)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), src, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	fixtures.built[key] = dir
	return dir
}

// upToDateSQLite returns a directory with db.sqlite, at version 0001, and
// migrations/ holding 0001_init.sql, the initial migration of the n-table
// schema planned and applied by schemactl's own code; and the directory of
// the schema files.
func upToDateSQLite(tb testing.TB, n int) (dbDir, hclDir string) {
	ctx := context.Background()
	hclDir = schemaFiles(tb, schema.SQLite, "main", n)
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	key := fmt.Sprintf("sqlite-%d-%s", n, fileHash(tb, filepath.Join(hclDir, "schema.hcl")))
	if dir, ok := fixtures.built[key]; ok {
		return dir, hclDir
	}
	base := cacheDir()
	if base == "" {
		base = fixtures.scratch(tb)
	}
	dir := filepath.Join(base, key)
	if _, err := os.Stat(filepath.Join(dir, "ok")); err == nil {
		if err := checkUpToDate(ctx, dir, hclDir); err == nil {
			fixtures.built[key] = dir
			return dir, hclDir
		} else {
			tb.Logf("bench: cached %s is stale (%v); rebuilding", dir, err)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("bench: building the %d-table SQLite database in %s", n, dir)
	e, err := openSQLite(ctx, filepath.Join(dir, "db.sqlite"))
	if err != nil {
		tb.Fatal(err)
	}
	build(tb, e, n, filepath.Join(dir, "migrations"), hclDir, dir)
	fixtures.built[key] = dir
	return dir, hclDir
}

// build plans the initial migration of the n-table schema in hclDir into
// migrations, applies it through e (which it closes), and marks dir as
// built.
func build(tb testing.TB, e *benchDB, n int, migrations, hclDir, dir string) {
	defer e.Close()
	ctx := context.Background()
	if _, err := e.plan(ctx, migrations, "init", filepath.Join(hclDir, "schema.hcl")); err != nil {
		tb.Fatalf("bench: plan %d tables: %v", n, err)
	}
	if _, err := e.apply(ctx, migrations); err != nil {
		tb.Fatalf("bench: apply %d tables: %v", n, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok"), nil, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// checkUpToDate reports an error unless the cached database plans to nothing.
func checkUpToDate(ctx context.Context, dir, hclDir string) error {
	e, err := openSQLite(ctx, filepath.Join(dir, "db.sqlite"))
	if err != nil {
		return err
	}
	defer e.Close()
	return checkEmptyPlan(ctx, e, filepath.Join(dir, "migrations"), filepath.Join(hclDir, "schema.hcl"))
}

// upToDateMySQL returns the URL of a database holding the n-table schema at
// version 0001, the directory of its migrations, and that of its schema
// files. It skips the benchmark when no server answers.
func upToDateMySQL(tb testing.TB, n int) (u *url.URL, migrations, hclDir string) {
	ctx := context.Background()
	server := requireMySQL(tb)
	name := fmt.Sprintf("schemactl_bench_%d", n)
	hclDir = schemaFiles(tb, schema.MySQL, name, n)
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	key := fmt.Sprintf("mysql-%d-%s", n, fileHash(tb, filepath.Join(hclDir, "schema.hcl")))
	u = withDatabase(server, name)
	if dir, ok := fixtures.built[key]; ok {
		return u, dir, hclDir
	}
	base := cacheDir()
	if base == "" {
		base = fixtures.scratch(tb)
		fixtures.dropDBs = append(fixtures.dropDBs, name)
	}
	dir := filepath.Join(base, key)
	migrations = filepath.Join(dir, "migrations")
	if _, err := os.Stat(filepath.Join(dir, "ok")); err == nil {
		e, err := openMySQL(ctx, u)
		if err == nil {
			err = checkEmptyPlan(ctx, e, migrations, filepath.Join(hclDir, "schema.hcl"))
			e.Close()
		}
		if err == nil {
			fixtures.built[key] = migrations
			return u, migrations, hclDir
		}
		tb.Logf("bench: cached database %s is stale (%v); rebuilding", name, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		tb.Fatal(err)
	}
	if err := recreateDatabase(server, name); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("bench: building the %d-table MariaDB database %s", n, name)
	e, err := openMySQL(ctx, u)
	if err != nil {
		tb.Fatal(err)
	}
	build(tb, e, n, migrations, hclDir, dir)
	fixtures.built[key] = migrations
	return u, migrations, hclDir
}

// requireMySQL returns the test server's URL. When it does not answer the
// benchmark is skipped, or fails under CI=true, as testdb.MySQL does.
func requireMySQL(tb testing.TB) *url.URL {
	u, err := mysqlServer()
	if err != nil {
		tb.Fatal(err)
	}
	db, err := serverDB(u)
	if err == nil {
		err = db.Ping()
		db.Close()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("MySQL/MariaDB server %s does not answer: %v (CI=true: MySQL benchmarks must not be skipped)", u.Redacted(), err)
		}
		tb.Skipf("MySQL/MariaDB server %s does not answer: %v", u.Redacted(), err)
	}
	return u
}

// serverDB opens a pool on the server of u without selecting a database.
func serverDB(u *url.URL) (*sql.DB, error) {
	cfg := driver.NewConfig()
	cfg.Net, cfg.Addr = "tcp", u.Host
	if u.Port() == "" {
		cfg.Addr = u.Hostname() + ":3306"
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Params = map[string]string{"foreign_key_checks": "0"}
	c, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

func recreateDatabase(server *url.URL, name string) error {
	db, err := serverDB(server)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{"DROP DATABASE IF EXISTS " + quote(name), "CREATE DATABASE " + quote(name)} {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func dropDatabases(names []string) error {
	server, err := mysqlServer()
	if err != nil {
		return err
	}
	db, err := serverDB(server)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, n := range names {
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + quote(n)); err != nil {
			return fmt.Errorf("drop database %s: %w", n, err)
		}
	}
	return nil
}

func quote(name string) string { return "`" + name + "`" }

func fileHash(tb testing.TB, path string) string {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// binary returns the path of a schemactl binary built from this checkout
// (or $SCHEMACTL_BENCH_BIN).
func binary(tb testing.TB) string {
	if p := os.Getenv("SCHEMACTL_BENCH_BIN"); p != "" {
		return p
	}
	fixtures.mu.Lock()
	defer fixtures.mu.Unlock()
	if fixtures.bin != "" {
		return fixtures.bin
	}
	out := filepath.Join(fixtures.scratch(tb), "schemactl")
	cmd := exec.Command("go", "build", "-o", out, "github.com/schemactl/schemactl/cmd/schemactl")
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("bench: go build: %v\n%s", err, msg)
	}
	fixtures.bin = out
	return out
}

// copyDir copies the regular files of src into a new directory dst.
func copyDir(tb testing.TB, src, dst string) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		tb.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
