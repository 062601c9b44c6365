package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// End to end: `schemactl plan` and `schemactl apply` as a user runs them,
// through the built binary (wall time per op, plus the CPU time and the
// peak resident memory of the process as metrics), and the same pipeline in
// process (for -cpuprofile and -benchmem).

// usage is what one run of the binary cost.
type usage struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
}

// runBinary runs schemactl with args in dir and fails on a non-zero exit.
//
// The binary is started through a launcher, this test binary started
// afresh (see launch): Go starts processes with vfork, and Linux then
// counts the parent's memory in the child's peak RSS, so a child of the
// benchmark process itself would report the benchmark's gigabytes.
func runBinary(b *testing.B, dir string, args ...string) usage {
	report := filepath.Join(b.TempDir(), "usage")
	cmd := exec.Command(os.Args[0], append([]string{binary(b)}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "SCHEMACTL_URL=", "DATABASE_URL=", launchEnv+"="+report)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		b.Fatalf("schemactl %s: %v\n%s", strings.Join(args, " "), err, tail(out.String(), 2000))
	}
	data, err := os.ReadFile(report)
	if err != nil {
		b.Fatal(err)
	}
	var u usage
	if _, err := fmt.Sscan(string(data), &u.wall, &u.cpu, &u.maxRSS); err != nil {
		b.Fatalf("launcher report %q: %v", data, err)
	}
	return u
}

// launchEnv names the file a launcher writes its child's usage to.
const launchEnv = "SCHEMACTL_BENCH_LAUNCH"

// launch is the launcher: when the test binary runs with launchEnv set, it
// runs its arguments as a command, writes the command's wall time, CPU
// time and peak RSS (nanoseconds, nanoseconds, bytes) to the file launchEnv
// names, and exits with the command's status.
func launch(report string) int {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	data := fmt.Sprintf("%d %d %d\n", int64(wall), int64(cpu), ru.Maxrss*1024) // kilobytes on Linux
	if werr := os.WriteFile(report, []byte(data), 0o644); werr != nil {
		fmt.Fprintln(os.Stderr, werr)
		return 1
	}
	return cmd.ProcessState.ExitCode()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// meter sums the runs of one benchmark and reports them as metrics.
type meter struct {
	runs      int
	wall, cpu time.Duration
	maxRSS    int64
}

func (m *meter) add(u usage) {
	m.runs++
	m.wall += u.wall
	m.cpu += u.cpu
	m.maxRSS = max(m.maxRSS, u.maxRSS)
}

// report replaces ns/op with the binary's own wall time, without the
// launcher's start, and adds its CPU time and peak RSS.
func (m *meter) report(b *testing.B) {
	if m.runs == 0 {
		return
	}
	if m.wall > 0 {
		b.ReportMetric(float64(m.wall.Nanoseconds())/float64(m.runs), "ns/op")
	}
	b.ReportMetric(m.cpu.Seconds()/float64(m.runs), "cpu-s/op")
	if m.maxRSS > 0 {
		b.ReportMetric(float64(m.maxRSS)/(1<<20), "peak-RSS-MB")
	}
}

// processCPU is the CPU time this process has used so far. In-process
// runs are timed by it as well as by the wall clock, which a loaded machine
// stretches: SQLite runs in this process (it is Go), a MySQL server does
// not, so for MySQL it is the client's share only.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// planCase is one situation plan runs in: against an empty database (the
// initial migration), an up-to-date one (nothing to do) or an up-to-date
// one with 1% of the tables changed in the HCL.
var planCases = []string{"empty", "uptodate", "changed"}

func hclFor(kind string) string {
	if kind == "changed" {
		return "changed.hcl"
	}
	return "schema.hcl"
}

// target is a database a benchmark runs against, made ready before each
// run.
type target struct {
	// fresh returns a work directory (holding a copy of the migrations,
	// when there are any) and the database URL.
	fresh func(b *testing.B) (work, url string)
	// open connects to the database fresh last returned, in process.
	open func(ctx context.Context) (*benchDB, error)
}

// newPlanTarget returns what plan of kind runs against on engine ("sqlite"
// or "mariadb") with n tables, and the schema file it plans to.
func newPlanTarget(b *testing.B, eng, kind string, n int) (target, string) {
	if eng == "sqlite" {
		db, migrations, hclDir := sqlitePlanTarget(b, kind, n)
		return target{
			fresh: func(b *testing.B) (string, string) {
				work := b.TempDir()
				if migrations != "" {
					copyDir(b, migrations, filepath.Join(work, "migrations"))
				}
				if kind == "empty" {
					db = filepath.Join(work, "db.sqlite")
				}
				return work, "sqlite://" + db
			},
			open: func(ctx context.Context) (*benchDB, error) { return openSQLite(ctx, db) },
		}, filepath.Join(hclDir, hclFor(kind))
	}
	u, migrations, hclDir := mysqlPlanTarget(b, kind, n)
	return target{
		fresh: func(b *testing.B) (string, string) {
			work := b.TempDir()
			if migrations != "" {
				copyDir(b, migrations, filepath.Join(work, "migrations"))
			}
			return work, u.String()
		},
		open: func(ctx context.Context) (*benchDB, error) { return openMySQL(ctx, u) },
	}, filepath.Join(hclDir, hclFor(kind))
}

// BenchmarkPlanCLI is `schemactl plan` end to end, through the binary.
func BenchmarkPlanCLI(b *testing.B) {
	for _, eng := range []string{"sqlite", "mariadb"} {
		for _, kind := range planCases {
			b.Run(eng+"/"+kind, func(b *testing.B) {
				eachSize(b, func(b *testing.B, n int) {
					t, hcl := newPlanTarget(b, eng, kind, n)
					var m meter
					for b.Loop() {
						b.StopTimer()
						work, url := t.fresh(b)
						b.StartTimer()
						m.add(runBinary(b, work, "plan", "--url", url, "--schema", hcl, "-m", "bench"))
					}
					m.report(b)
				})
			})
		}
	}
}

// BenchmarkPlan is the same pipeline as the binary's plan, in process.
func BenchmarkPlan(b *testing.B) {
	ctx := context.Background()
	for _, eng := range []string{"sqlite", "mariadb"} {
		for _, kind := range planCases {
			b.Run(eng+"/"+kind, func(b *testing.B) {
				eachSize(b, func(b *testing.B, n int) {
					t, hcl := newPlanTarget(b, eng, kind, n)
					b.ReportAllocs()
					for b.Loop() {
						b.StopTimer()
						work, _ := t.fresh(b)
						b.StartTimer()
						e, err := t.open(ctx)
						if err != nil {
							b.Fatal(err)
						}
						p, err := e.plan(ctx, filepath.Join(work, "migrations"), "bench", hcl)
						e.Close()
						if err != nil {
							b.Fatal(err)
						}
						checkPlan(b, kind, n, p.Empty())
					}
				})
			})
		}
	}
}

func checkPlan(b *testing.B, kind string, n int, empty bool) {
	if empty != (kind == "uptodate") {
		b.Fatalf("%s plan of %d tables: empty=%v", kind, n, empty)
	}
}

// sqlitePlanTarget returns the database and migration directory plan runs
// against (db is "" and migrations "" for the empty case: a new file per
// run) and the directory of the schema files.
func sqlitePlanTarget(b *testing.B, kind string, n int) (db, migrations, hclDir string) {
	if kind == "empty" {
		return "", "", schemaFiles(b, schema.SQLite, "main", n)
	}
	dir, hclDir := upToDateSQLite(b, n)
	return filepath.Join(dir, "db.sqlite"), filepath.Join(dir, "migrations"), hclDir
}

// mysqlPlanTarget is sqlitePlanTarget on MariaDB: the empty case plans
// against an empty database of its own.
func mysqlPlanTarget(b *testing.B, kind string, n int) (u *url.URL, migrations, hclDir string) {
	if kind != "empty" {
		return upToDateMySQL(b, n)
	}
	server := requireMySQL(b)
	name := fmt.Sprintf("schemactl_bench_empty_%d", n)
	if err := recreateDatabase(server, name); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := dropDatabases([]string{name}); err != nil {
			b.Error(err)
		}
	})
	return withDatabase(server, name), "", schemaFiles(b, schema.MySQL, name, n)
}

// newApplyTarget returns the empty database of engine ("sqlite" or
// "mariadb"), emptied again by fresh, that the initial migration of n
// tables is applied to.
func newApplyTarget(b *testing.B, eng string, n int) target {
	if eng == "sqlite" {
		dir, _ := upToDateSQLite(b, n)
		var db string
		return target{
			fresh: func(b *testing.B) (string, string) {
				work := b.TempDir()
				copyDir(b, filepath.Join(dir, "migrations"), filepath.Join(work, "migrations"))
				db = filepath.Join(work, "db.sqlite")
				return work, "sqlite://" + db
			},
			open: func(ctx context.Context) (*benchDB, error) { return openSQLite(ctx, db) },
		}
	}
	_, migrations, _ := upToDateMySQL(b, n)
	server := requireMySQL(b)
	name := fmt.Sprintf("schemactl_bench_apply_%d", n)
	u := withDatabase(server, name)
	b.Cleanup(func() {
		if err := dropDatabases([]string{name}); err != nil {
			b.Error(err)
		}
	})
	return target{
		fresh: func(b *testing.B) (string, string) {
			work := b.TempDir()
			copyDir(b, migrations, filepath.Join(work, "migrations"))
			if err := recreateDatabase(server, name); err != nil {
				b.Fatal(err)
			}
			return work, u.String()
		},
		open: func(ctx context.Context) (*benchDB, error) { return openMySQL(ctx, u) },
	}
}

// BenchmarkApply applies the initial migration of n tables to an empty
// database three ways: the statements straight through the driver (the
// floor), the executor in process (lock, checksums, drift check, history),
// and the binary.
func BenchmarkApply(b *testing.B) {
	ctx := context.Background()
	for _, eng := range []string{"sqlite", "mariadb"} {
		for _, how := range []string{"direct", "executor", "cli"} {
			b.Run(eng+"/"+how, func(b *testing.B) {
				eachSize(b, func(b *testing.B, n int) {
					target := newApplyTarget(b, eng, n)
					var m meter
					for b.Loop() {
						b.StopTimer()
						work, url := target.fresh(b)
						b.StartTimer()
						if how == "cli" {
							m.add(runBinary(b, work, "apply", "--url", url))
							continue
						}
						e, err := target.open(ctx)
						if err != nil {
							b.Fatal(err)
						}
						cpu := processCPU()
						runApply(b, e, how, filepath.Join(work, "migrations"))
						m.add(usage{cpu: processCPU() - cpu})
						e.Close()
					}
					m.report(b)
				})
			})
		}
	}
}

func runApply(b *testing.B, e *benchDB, how, migrations string) {
	ctx := context.Background()
	if how == "direct" {
		if _, err := e.applyDirect(ctx, migrations); err != nil {
			b.Fatal(err)
		}
		return
	}
	if _, err := e.apply(ctx, migrations); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkApplyOverhead is the executor's cost over the driver, measured
// in alternation so that a disk or a server whose speed drifts during the
// run weighs on both sides alike: each iteration applies the initial
// migration of n tables to an empty database straight through the driver,
// then through the executor. It reports both times and the overhead in
// percent.
func BenchmarkApplyOverhead(b *testing.B) {
	ctx := context.Background()
	for _, eng := range []string{"sqlite", "mariadb"} {
		b.Run(eng, func(b *testing.B) {
			eachSize(b, func(b *testing.B, n int) {
				target := newApplyTarget(b, eng, n)
				var o overhead
				for b.Loop() {
					for _, how := range []string{"direct", "executor"} {
						b.StopTimer()
						work, _ := target.fresh(b)
						e, err := target.open(ctx)
						if err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
						start := time.Now()
						runApply(b, e, how, filepath.Join(work, "migrations"))
						o.add(how, time.Since(start))
						e.Close()
					}
				}
				o.report(b)
			})
		})
	}
}

// overhead sums alternating direct and executor runs.
type overhead struct {
	runs             int
	direct, executor time.Duration
}

func (o *overhead) add(how string, d time.Duration) {
	if how == "direct" {
		o.runs++
		o.direct += d
		return
	}
	o.executor += d
}

func (o *overhead) report(b *testing.B) {
	if o.runs == 0 || o.direct == 0 {
		return
	}
	b.ReportMetric(o.direct.Seconds()/float64(o.runs), "direct-s/op")
	b.ReportMetric(o.executor.Seconds()/float64(o.runs), "executor-s/op")
	b.ReportMetric(100*(o.executor.Seconds()-o.direct.Seconds())/o.direct.Seconds(), "overhead-%")
}
