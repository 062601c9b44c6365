package mysql_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schemactl/executor"
)

// eventsDir: 0001 creates events and teams (teams.events_id → events);
// 0002 drops the key and the table, and its down section re-creates the
// table, empty, and then adds the key back.
func eventsDir(t *testing.T) *executor.Dir {
	t.Helper()
	d := mysqlDir(t)
	steps := []struct {
		msg      string
		up, down []string
	}{
		{"init", []string{
			"CREATE TABLE `events` (`id` int NOT NULL PRIMARY KEY) ENGINE=InnoDB",
			"CREATE TABLE `teams` (`id` int NOT NULL PRIMARY KEY, `events_id` int NULL, CONSTRAINT `teams_events` FOREIGN KEY (`events_id`) REFERENCES `events` (`id`)) ENGINE=InnoDB",
		}, []string{"DROP TABLE `teams`", "DROP TABLE `events`"}},
		{"drop events", []string{
			"ALTER TABLE `teams` DROP FOREIGN KEY `teams_events`",
			"DROP TABLE `events`",
		}, []string{
			"CREATE TABLE `events` (`id` int NOT NULL PRIMARY KEY) ENGINE=InnoDB",
			"ALTER TABLE `teams` ADD CONSTRAINT `teams_events` FOREIGN KEY (`events_id`) REFERENCES `events` (`id`)",
		}},
	}
	for _, s := range steps {
		up, down := executor.Statements(s.up...), executor.Statements(s.down...)
		if _, err := d.Write(s.msg, up, down); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// TestExecutorPreflightRefusesDowngrade is the half-reverted database of
// issue 11: the down section would re-create events empty and then fail
// on the key, since teams has rows pointing at events that are gone. The
// preflight refuses it before its first statement: nothing changes, not
// even the history. With NoPreflight it runs, and fails half way.
func TestExecutorPreflightRefusesDowngrade(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := eventsDir(t)
	e := s.executor(d, nil)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// Rows with a NULL key have no parent to miss (MATCH SIMPLE).
	s.exec(t, "INSERT INTO teams VALUES (1, NULL), (2, NULL)")
	if _, err := e.Downgrade(ctx, "-1"); err != nil {
		t.Fatalf("downgrade with NULL keys only: %v", err)
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// A team still points at an event that 0002 dropped.
	s.exec(t, "UPDATE teams SET events_id = 7 WHERE id = 2")
	tables, hist := s.tables(t), history(t, e)
	_, err := e.Downgrade(ctx, "-1")
	var pe *executor.PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("downgrade: %v, want a PreflightError", err)
	}
	for _, want := range []string{
		"0002_drop_events.sql: preflight refused the down section; nothing ran:",
		"statement 2 of 2 (line ",
		"1 row of `teams` without a parent in `events` for (`events_id`)",
		`e.g. id="2", events_id="7"`,
		"--no-preflight",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if got := s.tables(t); !slices.Equal(got, tables) {
		t.Errorf("tables %v after the refusal, want %v", got, tables)
	}
	if got := history(t, e); !slices.Equal(got, hist) {
		t.Errorf("history %v after the refusal, want %v", got, hist)
	}
	if v, err := e.Current(ctx); err != nil || v != "0002" {
		t.Errorf("version %q, %v; want 0002", v, err)
	}

	e.NoPreflight = true
	_, err = e.Downgrade(ctx, "-1")
	var se *executor.StmtError
	if !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("downgrade --no-preflight: %v, want statement 2 to fail", err)
	}
	if got := s.tables(t); !slices.Contains(got, "events") {
		t.Errorf("tables %v: the unchecked downgrade should have run statement 1", got)
	}
}

// TestExecutorPreflightWarning: rows a statement changes without failing
// are reported as a warning, and the migration runs.
func TestExecutorPreflightWarning(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := mysqlDir(t)
	s.exec(t, "CREATE TABLE price (id int PRIMARY KEY, amount decimal(8,3))", "INSERT INTO price VALUES (1, 1.005), (2, 2.5)")
	if _, err := d.Write("round", []executor.Statement{{SQL: "ALTER TABLE price MODIFY amount decimal(8,2)"}}, nil); err != nil {
		t.Fatal(err)
	}
	e := s.executor(d, nil)
	var warnings []string
	e.Observer = func(ev executor.Event) {
		if w, ok := ev.(*executor.PreflightWarning); ok {
			warnings = append(warnings, w.Problem+" | "+w.Sample)
		}
	}
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"1 row of `price` with a value of `amount` that decimal(8,2) rounds to 2 decimal places | id=\"1\", amount=\"1.005\""}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
}

// TestExecutorPreflightResume: a resumed migration checks only the
// statements still to run, against the database the earlier attempt left:
// the lair table statement 1 created has rows by now, so a key to it is
// checked against them, not taken for one to an empty table.
func TestExecutorPreflightResume(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := mysqlDir(t)
	for _, m := range []struct {
		msg string
		up  []string
	}{
		{"init", []string{"CREATE TABLE hero (id int PRIMARY KEY, lair_id int) ENGINE=InnoDB"}},
		{"lairs", []string{
			"CREATE TABLE lair (id int PRIMARY KEY) ENGINE=InnoDB",
			"ALTER TABLE hero ADD CONSTRAINT hero_lair FOREIGN KEY (lair_id) REFERENCES lair (id) ON DELETE FROBNICATE",
		}},
	} {
		if _, err := d.Write(m.msg, executor.Statements(m.up...), nil); err != nil {
			t.Fatal(err)
		}
	}
	e := s.executor(d, nil)
	if _, err := e.Apply(ctx, executor.ApplyOptions{To: "0001"}); err != nil {
		t.Fatal(err)
	}
	s.exec(t, "INSERT INTO hero VALUES (1, NULL), (2, NULL)")
	var se *executor.StmtError
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("apply: %v, want statement 2 to fail", err)
	}
	fix(t, d, " ON DELETE FROBNICATE", "")
	s.exec(t, "INSERT INTO lair VALUES (1)", "UPDATE hero SET lair_id = 1 WHERE id = 1", "INSERT INTO hero VALUES (3, 2)")
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var pe *executor.PreflightError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "statement 2 of 2") ||
		!strings.Contains(err.Error(), "1 row of `hero` without a parent in `lair` for (`lair_id`)") {
		t.Fatalf("resume: %v, want the orphan hero 3 refused at statement 2", err)
	}
	s.exec(t, "INSERT INTO lair VALUES (2)")
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatalf("resume with every parent there: %v", err)
	}
}

// TestExecutorPreflightTimeout: a check that does not finish refuses the
// migration and says how to go on; it is never taken as a pass.
func TestExecutorPreflightTimeout(t *testing.T) {
	ctx := context.Background()
	s := newServer(t)
	d := mysqlDir(t)
	s.exec(t, "CREATE TABLE slow (id int PRIMARY KEY)", "INSERT INTO slow VALUES (1), (2), (3)")
	// SLEEP makes each row take a second; each check may take 100 ms.
	if _, err := d.Write("slow", []executor.Statement{{SQL: "ALTER TABLE slow ADD CONSTRAINT asleep CHECK (SLEEP(1) = 0)"}}, nil); err != nil {
		t.Fatal(err)
	}
	e := s.executor(d, nil)
	e.PreflightTimeout = 100 * time.Millisecond
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	var pe *executor.PreflightError
	if !errors.As(err, &pe) {
		t.Fatalf("apply: %v, want a PreflightError", err)
	}
	for _, want := range []string{
		"the check for rows of `slow` for which the new check `asleep` (SLEEP(1) = 0) is false did not finish within 100ms",
		"a check that did not finish proves nothing: raise --preflight-timeout, or run with --no-preflight to skip the checks",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if v, err := e.Current(ctx); err != nil || v != "" {
		t.Errorf("version %q, %v; want base: nothing ran", v, err)
	}
}
