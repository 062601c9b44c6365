package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/internal/testdb"
	"github.com/schemactl/schemactl/planner"
)

// replaceFingerprint rewrites the planned-against line of a written
// migration, as a build with other fingerprint rules would have written it,
// and accepts the edit in schemactl.sum.
func replaceFingerprint(t *testing.T, e *engine.Engine, p *engine.Plan, fp string) {
	t.Helper()
	data, err := os.ReadFile(p.File)
	if err != nil {
		t.Fatal(err)
	}
	old := "-- planned-against: " + p.Fingerprint
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", p.File, old)
	}
	if err := os.WriteFile(p.File, []byte(strings.Replace(string(data), old, "-- planned-against: "+fp, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := e.Dir()
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.WriteSum(); err != nil {
		t.Fatal(err)
	}
}

// olderRules applies the first schema, then plans the second as a build
// with other fingerprint rules would have written it.
func olderRules(t *testing.T, e *engine.Engine, first, second string) {
	t.Helper()
	plan(t, e, first, "init")
	if _, err := e.Apply(context.Background(), engine.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	replaceFingerprint(t, e, plan(t, e, second, "power"), "h0:written+by+an+older+schemactl=")
}

// TestOlderFingerprintRules: a migration planned by a build whose
// fingerprint rules differ is not compared by fingerprint (that would be
// false drift after every upgrade) but against the schema the migrations
// before it give, replayed now.
func TestOlderFingerprintRules(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	e := open(t, target)
	olderRules(t, e, heroHCL, powerHCL)

	// The database is what 0001 gives: no drift, whatever the hash says.
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	if _, err := e.Apply(ctx, engine.ApplyOptions{Note: note}); err != nil {
		t.Fatalf("apply under other fingerprint rules: %v", err)
	}
	if len(notes) > 0 {
		t.Errorf("notes = %q, want none (SQLite replays in memory)", notes)
	}

	// Changed outside the migrations: refused, and explained as that.
	if _, err := e.Downgrade(ctx, "-1", nil, engine.Control{}); err != nil {
		t.Fatal(err)
	}
	exec(t, target, "CREATE TABLE intruder (id integer)")
	_, err := e.Apply(ctx, engine.ApplyOptions{})
	var de *executor.DriftError
	if !errors.As(err, &de) {
		t.Fatalf("apply after an outside change: %v, want a drift error", err)
	}
	if r := e.ExplainDrift(ctx, de); r.Err != nil || r.Kind != engine.DriftChanged {
		t.Errorf("ExplainDrift = kind %v, err %v; want DriftChanged", r.Kind, r.Err)
	}
}

// TestOlderFingerprintRulesUnchecked: on MySQL without a dev database the
// replay is impossible; the migration runs, and the note says it was not
// checked.
func TestOlderFingerprintRulesUnchecked(t *testing.T) {
	ctx := context.Background()
	u, name := testdb.MySQL(t)
	target := engine.Target{URL: u.String(), Dir: filepath.Join(t.TempDir(), "migrations")}
	e := open(t, target)
	olderRules(t, e, mysqlHCL(heroHCL, name), mysqlHCL(powerHCL, name))
	var notes []string
	if _, err := e.Apply(ctx, engine.ApplyOptions{Note: func(s string) { notes = append(notes, s) }}); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "drift not checked") || !strings.Contains(notes[0], planner.FingerprintVersion) {
		t.Errorf("notes = %q, want one saying drift was not checked", notes)
	}
}

// TestOlderFingerprintRulesBadScratch: a scratch database that cannot
// replay is an error, never a pass: the migration does not run.
func TestOlderFingerprintRulesBadScratch(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	e := open(t, target)
	olderRules(t, e, heroHCL, powerHCL)

	// A scratch database that is not empty cannot replay.
	busy := filepath.Join(t.TempDir(), "busy.db")
	exec(t, engine.Target{URL: "sqlite://" + busy}, "CREATE TABLE leftover (id integer)")
	target.DevURL = "sqlite://" + busy
	e2 := open(t, target)
	_, err := e2.Apply(ctx, engine.ApplyOptions{Note: func(s string) { t.Errorf("note %q, want an error", s) }})
	if err == nil || !strings.Contains(err.Error(), "check drift by replaying") {
		t.Fatalf("apply with an unusable scratch database: %v, want an error", err)
	}
	if v, err := e2.Current(ctx); err != nil || v != "0001" {
		t.Errorf("version %q, %v after the refusal; want 0001", v, err)
	}
}

// TestStatusOlderFingerprintRules: status says what apply will do with a
// migration planned under other fingerprint rules: run it when the
// database is what the migrations before it give, refuse it when not.
func TestStatusOlderFingerprintRules(t *testing.T) {
	ctx := context.Background()
	target := sqliteTarget(t)
	e := open(t, target)
	olderRules(t, e, heroHCL, powerHCL)
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := st.Drift; d == nil || !d.NextOtherRules || d.NextMatches || d.ExpectedErr != nil || !d.ExpectedMatches {
		t.Fatalf("status drift = %+v; want other rules, checked by replay, no drift", d)
	}
	exec(t, target, "CREATE TABLE intruder (id integer)")
	st, err = e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := st.Drift; d == nil || !d.NextOtherRules || d.ExpectedErr != nil || d.ExpectedMatches {
		t.Fatalf("status drift after an outside change = %+v; want drift", d)
	}
}
