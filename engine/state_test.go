package engine_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
)

// levelHCL is powerHCL with one more column, for a third migration.
var levelHCL = strings.Replace(powerHCL, "  primary_key {", "  column \"level\" {\n    null = true\n    type = integer\n  }\n  primary_key {", 1)

// stateFixture is an engine on a database at 0002 of three migrations
// (0003 pending), on either engine, with a way to change it by hand.
type stateFixture struct {
	e    *engine.Engine
	exec func(t *testing.T, stmt string)
	hcl  func(string) string // the engine's spelling of a schema of this file
}

// planFile writes the schema of this file src for f's engine.
func (f stateFixture) planFile(t *testing.T, src string) string {
	return writeFile(t, t.TempDir(), "schema.hcl", f.hcl(src))
}

func newState(t *testing.T, target engine.Target, hcl func(string) string, exec func(t *testing.T, stmt string)) stateFixture {
	t.Helper()
	ctx := context.Background()
	e := open(t, target)
	for i, src := range []string{heroHCL, powerHCL, levelHCL} {
		plan(t, e, hcl(src), []string{"init", "power", "level"}[i])
		if i < 2 {
			if _, err := e.Apply(ctx, engine.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return stateFixture{e: e, exec: exec, hcl: hcl}
}

func sqliteState(t *testing.T) stateFixture {
	target := sqliteTarget(t)
	return newState(t, target, func(s string) string { return s }, func(t *testing.T, stmt string) { exec(t, target, stmt) })
}

func mariadbState(t *testing.T) stateFixture {
	u, name := testdb.MySQL(t)
	dev, _ := testdb.MySQL(t)
	db := testdb.OpenMySQL(t, u)
	target := engine.Target{URL: u.String(), DevURL: dev.String(), Dir: filepath.Join(t.TempDir(), "migrations")}
	return newState(t, target, func(s string) string { return mysqlHCL(s, name) }, func(t *testing.T, stmt string) {
		t.Helper()
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	})
}

// testWrongStamp: a database whose schema is exactly what 0002 gives but
// whose version table says 0001 is diagnosed as a wrong stamp by apply
// (through ExplainDrift), by plan (which gives apply's error, not "apply
// first") and by status, naming 0002.
func testWrongStamp(t *testing.T, f stateFixture) {
	ctx := context.Background()
	e := f.e
	if _, err := e.Stamp(ctx, "0001"); err != nil {
		t.Fatal(err)
	}
	_, err := e.Apply(ctx, engine.ApplyOptions{})
	var de *executor.DriftError
	if !errors.As(err, &de) {
		t.Fatalf("Apply = %v, want a DriftError", err)
	}
	if r := e.ExplainDrift(ctx, de); r.Kind != engine.DriftStamp || r.Stamp != "0002" || r.Version != "0001" {
		t.Errorf("ExplainDrift = kind %v, stamp %q, version %q (%v); want a wrong stamp of 0002", r.Kind, r.Stamp, r.Version, r.Err)
	}
	_, err = e.Plan(ctx, engine.PlanOptions{Schema: []string{f.planFile(t, levelHCL)}, Message: "x"})
	var pde *executor.DriftError
	if !errors.As(err, &pde) || *pde != *de {
		t.Errorf("Plan = %v, want apply's DriftError", err)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := st.Drift; d == nil || !d.WrongVersion || d.Stamp != "0002" {
		t.Errorf("Status drift = %+v, want a wrong version, 0002", d)
	}
	// At base, over 0002's schema: base is the version stamped, not the
	// one found.
	if _, err := e.Stamp(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if st, err := e.Status(ctx); err != nil || !st.Drift.WrongVersion || st.Drift.Stamp != "0002" {
		t.Errorf("Status at base = %+v, %v", st.Drift, err)
	}
	// A change by hand matches no version: no stamp is suggested.
	if _, err := e.Stamp(ctx, "0002"); err != nil {
		t.Fatal(err)
	}
	f.exec(t, "CREATE TABLE extra (id int)")
	_, err = e.Apply(ctx, engine.ApplyOptions{})
	if !errors.As(err, &de) {
		t.Fatalf("Apply after a change by hand = %v, want a DriftError", err)
	}
	if r := e.ExplainDrift(ctx, de); r.Kind != engine.DriftChanged {
		t.Errorf("ExplainDrift of a change by hand = %v, want DriftChanged", r.Kind)
	}
	if st, err := e.Status(ctx); err != nil || st.Drift.WrongVersion {
		t.Errorf("Status after a change by hand = %+v, %v", st.Drift, err)
	}
}

// testPlanBehind: plan on a database behind the directory gives the error
// apply gives: drift, or "apply first" only when apply would run.
func testPlanBehind(t *testing.T, f stateFixture) {
	ctx := context.Background()
	e := f.e
	schemaFile := f.planFile(t, levelHCL)
	_, err := e.Plan(ctx, engine.PlanOptions{Schema: []string{schemaFile}, Message: "x"})
	if err == nil || !strings.Contains(err.Error(), "run schemactl apply first") {
		t.Errorf("Plan behind the head = %v, want apply first", err)
	}
	f.exec(t, "CREATE TABLE extra (id int)")
	_, aerr := e.Apply(ctx, engine.ApplyOptions{DryRun: true})
	_, perr := e.Plan(ctx, engine.PlanOptions{Schema: []string{schemaFile}, Message: "x"})
	var ade, pde *executor.DriftError
	if !errors.As(aerr, &ade) || !errors.As(perr, &pde) || *ade != *pde {
		t.Errorf("after drift: Apply = %v, Plan = %v; want the same DriftError", aerr, perr)
	}
}

// testVersionTableDropped: a version table dropped with the history kept
// is not base (every migration would run again); apply, status and plan
// refuse, naming the version the history implies, and stamp restores it.
func testVersionTableDropped(t *testing.T, f stateFixture) {
	ctx := context.Background()
	e := f.e
	f.exec(t, "DROP TABLE schemactl_version")
	var ve *executor.VersionTableError
	_, err := e.Apply(ctx, engine.ApplyOptions{})
	if !errors.As(err, &ve) || !ve.Known || ve.Implied != "0002" || !errors.Is(err, executor.ErrUnknownVersion) {
		t.Fatalf("Apply = %v, want a VersionTableError implying 0002", err)
	}
	if !strings.HasSuffix(err.Error(), "which left it at 0002: check the schema, then schemactl stamp 0002") {
		t.Errorf("error = %v", err)
	}
	if _, err := e.Status(ctx); !errors.As(err, &ve) {
		t.Errorf("Status = %v", err)
	}
	if _, err := e.Current(ctx); !errors.As(err, &ve) {
		t.Errorf("Current = %v", err)
	}
	if v, err := e.Stamp(ctx, "0002"); err != nil || v != "0002" {
		t.Fatalf("Stamp = %q, %v", v, err)
	}
	res, err := e.Apply(ctx, engine.ApplyOptions{})
	if err != nil || res.To != "0003" || len(res.Migrations) != 1 {
		t.Errorf("Apply after the stamp = %+v, %v", res, err)
	}
	// After a downgrade, the version the history implies is the one
	// before the migration reverted.
	if _, err := e.Downgrade(ctx, "-1", nil, engine.Control{}); err != nil {
		t.Fatal(err)
	}
	f.exec(t, "DROP TABLE schemactl_version")
	if _, err := e.Status(ctx); !errors.As(err, &ve) || ve.Implied != "0002" {
		t.Errorf("Status after down and drop = %v", err)
	}
}

func TestWrongStampSQLite(t *testing.T)           { testWrongStamp(t, sqliteState(t)) }
func TestPlanBehindSQLite(t *testing.T)           { testPlanBehind(t, sqliteState(t)) }
func TestVersionTableDroppedSQLite(t *testing.T)  { testVersionTableDropped(t, sqliteState(t)) }
func TestWrongStampMariaDB(t *testing.T)          { testWrongStamp(t, mariadbState(t)) }
func TestPlanBehindMariaDB(t *testing.T)          { testPlanBehind(t, mariadbState(t)) }
func TestVersionTableDroppedMariaDB(t *testing.T) { testVersionTableDropped(t, mariadbState(t)) }
