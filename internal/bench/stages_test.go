package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// Each stage of `schemactl plan`, timed alone, in process (profile with
// -cpuprofile / -memprofile). The end-to-end runs are in e2e_test.go.

// offlineMySQL is a MariaDB 10.11 dialect for the stages that need no
// server (normalise, diff, render), with the server defaults a stock
// install has.
func offlineMySQL() *mysql.Dialect {
	f := mysql.ParseFlavor("10.11.19-MariaDB")
	f.Charset, f.Collate = "utf8mb4", "utf8mb4_general_ci"
	return mysql.New(f)
}

// offline returns the normalisation and the planner dialect of d that
// need no database.
func offline(d schema.Dialect) (func(*schema.Realm) error, lint.Dialect) {
	if d == schema.MySQL {
		m := offlineMySQL()
		return m.Normalize, m
	}
	s := sqlite.New()
	return s.Normalize, s
}

// BenchmarkParse is HCL parse and decode (with every check) of one file.
func BenchmarkParse(b *testing.B) {
	for _, d := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		b.Run(string(d), func(b *testing.B) {
			eachSize(b, func(b *testing.B, n int) {
				src, err := os.ReadFile(filepath.Join(schemaFiles(b, d, "main", n), "schema.hcl"))
				if err != nil {
					b.Fatal(err)
				}
				opts := schemahcl.Options{Dialect: engine.HCLDialect(d)}
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				for b.Loop() {
					r, _, diags := schemahcl.Parse(opts, schemahcl.Source{Filename: "schema.hcl", Bytes: src})
					if diags.HasErrors() {
						b.Fatal(diags)
					}
					if len(r.Schemas[0].Tables) != n {
						b.Fatalf("%d tables", len(r.Schemas[0].Tables))
					}
				}
			})
		})
	}
}

// BenchmarkNormalize is the dialect's normalisation of the decoded HCL.
func BenchmarkNormalize(b *testing.B) {
	for _, d := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		b.Run(string(d), func(b *testing.B) {
			eachSize(b, func(b *testing.B, n int) {
				normalize, _ := offline(d)
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					r := Realm(d, "main", n)
					b.StartTimer()
					if err := normalize(r); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkInspect reads an up-to-date database of n tables.
func BenchmarkInspect(b *testing.B) {
	ctx := context.Background()
	b.Run("sqlite", func(b *testing.B) {
		eachSize(b, func(b *testing.B, n int) {
			dir, _ := upToDateSQLite(b, n)
			e, err := openSQLite(ctx, filepath.Join(dir, "db.sqlite"))
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			benchInspect(b, e, n)
		})
	})
	b.Run("mariadb", func(b *testing.B) {
		eachSize(b, func(b *testing.B, n int) {
			u, _, _ := upToDateMySQL(b, n)
			e, err := openMySQL(ctx, u)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			benchInspect(b, e, n)
		})
	})
}

// benchInspect reports, besides the wall time, the CPU time of this
// process: on MariaDB most of the wall time is the server's, whose
// information_schema grows faster than linearly with the table count
// (see the README), while this is the share schemactl owns.
func benchInspect(b *testing.B, e *benchDB, n int) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	defer func() { b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "client-cpu-s/op") }()
	for b.Loop() {
		r, err := e.inspect(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(r.Schemas[0].Tables); got < n {
			b.Fatalf("%d tables, want %d", got, n)
		}
	}
}

// stageRealms returns the normalised realms the diff and render stages
// work on: the schema of n tables and its 1%-changed variant.
func stageRealms(b testing.TB, d schema.Dialect, n int) (desired, changed *schema.Realm, pd lint.Dialect) {
	normalize, pd := offline(d)
	desired, changed = Realm(d, "main", n), Change(Realm(d, "main", n))
	for _, r := range []*schema.Realm{desired, changed} {
		if err := normalize(r); err != nil {
			b.Fatal(err)
		}
	}
	return desired, changed, pd
}

func emptyRealm() *schema.Realm {
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main"}}}
}

// BenchmarkDiff is planner.Diff: from an empty database (every table
// added), between equal schemas, and with 1% of the tables changed.
func BenchmarkDiff(b *testing.B) {
	cases := []struct {
		name string
		pick func(desired, changed *schema.Realm) (from, to *schema.Realm, want int)
	}{
		{"initial", func(d, _ *schema.Realm) (*schema.Realm, *schema.Realm, int) {
			return emptyRealm(), d, len(d.Schemas[0].Tables)
		}},
		{"uptodate", func(d, _ *schema.Realm) (*schema.Realm, *schema.Realm, int) { return d, d, 0 }},
		{"changed", func(d, c *schema.Realm) (*schema.Realm, *schema.Realm, int) {
			return d, c, Changed(len(d.Schemas[0].Tables))
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			eachSize(b, func(b *testing.B, n int) {
				desired, changed, pd := stageRealms(b, schema.SQLite, n)
				from, to, want := c.pick(desired, changed)
				b.ReportAllocs()
				for b.Loop() {
					changes, err := planner.Diff(from, to, pd)
					if err != nil {
						b.Fatal(err)
					}
					if len(changes) != want {
						b.Fatalf("%d changes, want %d", len(changes), want)
					}
				}
			})
		})
	}
}

// BenchmarkRender renders the initial migration (n CREATE TABLEs and their
// indexes and keys) through each dialect.
func BenchmarkRender(b *testing.B) {
	for _, d := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		b.Run(string(d), func(b *testing.B) {
			eachSize(b, func(b *testing.B, n int) {
				desired, _, pd := stageRealms(b, d, n)
				changes, err := planner.Diff(emptyRealm(), desired, pd)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					for _, c := range changes {
						if _, err := pd.Render(c); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		})
	}
}

// BenchmarkPlanner is lint.New, which plan runs: diff, reverse diff,
// rendering of both sections (planner.New) and lint, from an empty
// database and with 1% changed.
func BenchmarkPlanner(b *testing.B) {
	for _, d := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		for _, kind := range []string{"initial", "changed"} {
			b.Run(string(d)+"/"+kind, func(b *testing.B) {
				eachSize(b, func(b *testing.B, n int) {
					desired, changed, pd := stageRealms(b, d, n)
					from, to := emptyRealm(), desired
					if kind == "changed" {
						from, to = desired, changed
					}
					b.ReportAllocs()
					for b.Loop() {
						p, err := lint.New(from, to, pd, lint.Options{})
						if err != nil {
							b.Fatal(err)
						}
						if p.Empty() {
							b.Fatal("empty plan")
						}
					}
				})
			})
		}
	}
}

// BenchmarkFingerprint is the planned-against fingerprint of a schema,
// computed by plan once and by apply before every migration.
func BenchmarkFingerprint(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		desired, _, _ := stageRealms(b, schema.SQLite, n)
		b.ReportAllocs()
		for b.Loop() {
			if planner.Fingerprint(desired) == "" {
				b.Fatal("no fingerprint")
			}
		}
	})
}

// BenchmarkEncode is `schemactl inspect`'s HCL output of n tables.
func BenchmarkEncode(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		r := Realm(schema.SQLite, "main", n)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := schemahcl.Encode(r, engine.HCLDialect(schema.SQLite)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
