package executor_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// catalogFingerprint is a real fingerprint of the user tables, read on the
// run's connection: a hash of their CREATE statements. (schemactl's own is
// planner.Fingerprint over the inspected model; the executor only compares.)
func catalogFingerprint(ctx context.Context, conn *sql.Conn) (string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT sql FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'schemactl\_%' ESCAPE '\'
ORDER BY name`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		fmt.Fprintln(h, s)
	}
	return fmt.Sprintf("h1:%x", h.Sum(nil)[:8]), rows.Err()
}

// checkCatalog is a drift check by catalogFingerprint.
func checkCatalog(ctx context.Context, conn *sql.Conn, m *executor.Migration) error {
	got, err := catalogFingerprint(ctx, conn)
	if err != nil {
		return err
	}
	if got != m.PlannedAgainst {
		return &executor.DriftError{File: m.File, Version: m.Version, Want: m.PlannedAgainst, Got: got}
	}
	return nil
}

func fingerprintOf(t *testing.T, db *sql.DB) string {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fp, err := catalogFingerprint(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestPlannedAgainstHeader(t *testing.T) {
	d := heroDir(t, 1)
	s := heroSteps[1]
	m, err := d.WritePlanned(s.message, "h1:abc=", s.up, s.down)
	if err != nil {
		t.Fatal(err)
	}
	if m.PlannedAgainst != "h1:abc=" {
		t.Errorf("PlannedAgainst = %q", m.PlannedAgainst)
	}
	data, err := os.ReadFile(filepath.Join(d.Path(), m.File))
	if err != nil {
		t.Fatal(err)
	}
	want := "-- schemactl 0002 \"new field power\"\n-- dialect: sqlite\n-- revises: 0001\n-- planned-against: h1:abc=\n-- +up\n"
	if !strings.HasPrefix(string(data), want) {
		t.Errorf("file starts\n%s\nwant\n%s", data, want)
	}
	// The header is part of the file: an edit of it breaks the sum.
	if err := d.Verify(); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(d.Path(), m.File), func(s string) string { return strings.Replace(s, "h1:abc=", "h1:xyz=", 1) })
	if err := d.Verify(); !errors.Is(err, executor.ErrChecksum) {
		t.Errorf("Verify after editing the fingerprint = %v, want a checksum error", err)
	}
	if _, err := d.WritePlanned("x", "h1:a b", nil, nil); err == nil {
		t.Error("WritePlanned accepted a fingerprint with a blank")
	}
	for _, bad := range []string{
		"-- schemactl 0001\n-- planned-against: h1:a\n-- planned-against: h1:b\n-- +up\n",
	} {
		if _, err := executor.Parse("0001_x.sql", []byte(bad), sqlite.New()); err == nil || !strings.Contains(err.Error(), "second -- planned-against") {
			t.Errorf("Parse(%q) error = %v", bad, err)
		}
	}
}

func TestApplyRefusesDrift(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 1)
	e, log := newExec(t, d)
	e.CheckDrift = checkCatalog
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	planned := fingerprintOf(t, e.DB)
	s := heroSteps[1]
	if _, err := d.WritePlanned(s.message, planned, s.up, s.down); err != nil {
		t.Fatal(err)
	}
	s = heroSteps[2]
	if _, err := d.WritePlanned(s.message, "h1:stale", s.up, s.down); err != nil {
		t.Fatal(err)
	}

	// Someone changes the database by hand: 0002 is refused before it runs,
	// in a dry run too, and no history row says it failed.
	if _, err := e.DB.Exec("CREATE TABLE `hand_made` (`id` integer)"); err != nil {
		t.Fatal(err)
	}
	*log = nil
	for _, dry := range []bool{true, false} {
		_, err := e.Apply(ctx, executor.ApplyOptions{DryRun: dry})
		var de *executor.DriftError
		if !errors.As(err, &de) || !errors.Is(err, executor.ErrDrift) {
			t.Fatalf("Apply(dry run %v) error = %v, want a *DriftError", dry, err)
		}
		if de.Version != "0002" || de.Want != planned || de.Got == planned || de.File != "0002_new_field_power.sql" {
			t.Errorf("DriftError = %+v", de)
		}
	}
	if len(*log) != 0 {
		t.Errorf("events = %q, want none: nothing may run", *log)
	}
	if v := mustCurrent(t, e); v != "0001" {
		t.Errorf("version = %q, want 0001", v)
	}
	st, err := e.Status(ctx)
	if err != nil || st.Failure != nil {
		t.Errorf("Status() = %+v, %v; a refusal is not a failed run", st, err)
	}

	// Back as planned: 0002 runs, and 0003, planned against another schema
	// (a stale plan), is refused after it, under the same lock.
	if _, err := e.DB.Exec("DROP TABLE `hand_made`"); err != nil {
		t.Fatal(err)
	}
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	var de *executor.DriftError
	if !errors.As(err, &de) || de.Version != "0003" {
		t.Fatalf("Apply() error = %v, want drift at 0003", err)
	}
	if res == nil || len(res.Migrations) != 1 || mustCurrent(t, e) != "0002" {
		t.Errorf("Apply() ran %v; want 0002 only", res)
	}

	// Without a fingerprint function nothing is checked (--allow-drift), and
	// down sections are never checked.
	e.CheckDrift = nil
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatalf("Apply() without CheckDrift: %v", err)
	}
	e.CheckDrift = checkCatalog
	if _, err := e.Downgrade(ctx, "base"); err != nil {
		t.Fatalf("Downgrade() with CheckDrift: %v", err)
	}
}

func TestDriftCheckOnAutocommitEngine(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 1)
	db := openDB(t, filepath.Join(t.TempDir(), "app.db"))
	e := &executor.Executor{DB: db, Driver: autocommit{sqlite.New()}, Dir: d, CheckDrift: checkCatalog}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	s := heroSteps[1]
	if _, err := d.WritePlanned(s.message, "h1:other", s.up, s.down); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.Is(err, executor.ErrDrift) {
		t.Fatalf("Apply() error = %v, want drift", err)
	}
	if got := columns(t, db, "hero"); strings.Contains(strings.Join(got, ","), "power") {
		t.Errorf("hero columns = %v: the refused migration ran", got)
	}
}
