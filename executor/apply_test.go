package executor_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, _, err := sqlite.Open(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newExec returns an executor on a new SQLite file for d, and a log of the
// events it reports.
func newExec(t *testing.T, d *executor.Dir) (*executor.Executor, *[]string) {
	t.Helper()
	db := openDB(t, filepath.Join(t.TempDir(), "app.db"))
	var log []string
	e := &executor.Executor{DB: db, Driver: sqlite.New(), Dir: d, Observer: func(ev executor.Event) { log = append(log, eventString(ev)) }}
	return e, &log
}

func eventString(ev executor.Event) string {
	switch ev := ev.(type) {
	case *executor.MigrationStart:
		return fmt.Sprintf("start %s %s resume=%d", ev.Direction, ev.Migration, ev.Resume)
	case *executor.StatementStart:
		return fmt.Sprintf("  stmt %d/%d", ev.Index, ev.Total)
	case *executor.StatementDone:
		return fmt.Sprintf("  done %d/%d", ev.Index, ev.Total)
	case *executor.MigrationDone:
		return fmt.Sprintf("done %s %s at %q after %d", ev.Direction, ev.Migration.Version, ev.Version, ev.Statements)
	case *executor.MigrationFailed:
		return fmt.Sprintf("failed %s %s", ev.Direction, ev.Migration.Version)
	case *executor.VersionMoved:
		return fmt.Sprintf("moved %q -> %q", ev.Expected, ev.Found)
	case *executor.EditAccepted:
		return "accepted " + ev.Edit.Version
	}
	return fmt.Sprintf("unknown %T", ev)
}

// tables lists the tables of the database, sorted.
func tables(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
}

func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	return queryStrings(t, db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
}

// queryStrings runs a query of one text column and returns its values.
func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func versions(ms []*executor.Migration) []string {
	var vs []string
	for _, m := range ms {
		vs = append(vs, m.Version)
	}
	return vs
}

func mustCurrent(t *testing.T, e *executor.Executor) string {
	t.Helper()
	v, err := e.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestApplyDowngradeStamp(t *testing.T) {
	ctx := context.Background()
	e, log := newExec(t, heroDir(t, 3))

	// A fresh database is at base, and reading that creates nothing.
	if v := mustCurrent(t, e); v != "" {
		t.Fatalf("Current = %q, want base", v)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != "" || st.Head != "0003" || len(st.Applied) != 0 || !slices.Equal(versions(st.Pending), []string{"0001", "0002", "0003"}) || st.Failure != nil || st.SumErr != nil {
		t.Errorf("Status of a fresh database = %+v", st)
	}

	// Dry run: the plan, and nothing else.
	res, err := e.Apply(ctx, executor.ApplyOptions{To: "+2", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || res.To != "0002" || !slices.Equal(versions(res.Migrations), []string{"0001", "0002"}) || res.Statements != 0 {
		t.Errorf("dry run = %+v", res)
	}
	if got := tables(t, e.DB); len(got) != 0 || len(*log) != 0 {
		t.Fatalf("dry run created tables %v / reported events %v", got, *log)
	}

	// Apply up to 0002.
	res, err = e.Apply(ctx, executor.ApplyOptions{To: "0002"})
	if err != nil {
		t.Fatal(err)
	}
	if res.From != "" || res.To != "0002" || res.Statements != 3 || !slices.Equal(versions(res.Migrations), []string{"0001", "0002"}) {
		t.Errorf("Apply to 0002 = %+v", res)
	}
	wantLog := []string{
		`start up 0001 init_db resume=0`, `  stmt 1/2`, `  done 1/2`, `  stmt 2/2`, `  done 2/2`, `done up 0001 at "0001" after 2`,
		`start up 0002 new field power resume=0`, `  stmt 1/1`, `  done 1/1`, `done up 0002 at "0002" after 1`,
	}
	if diff := cmp.Diff(wantLog, *log); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hero", "schemactl_version", "schemactl_version_history"}, tables(t, e.DB)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if got := columns(t, e.DB, "hero"); !slices.Contains(got, "power") {
		t.Errorf("hero columns = %v, want power", got)
	}
	if _, err := e.DB.Exec("INSERT INTO hero (name, secret_name, age) VALUES ('Deadpond', 'Dive Wilson', NULL), ('Spider-Boy', 'Pedro Parqueador', NULL), ('Rusty-Man', 'Tommy Sharp', 48)"); err != nil {
		t.Fatal(err)
	}

	// The rest, then nothing more to do.
	if res, err = e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0003" || len(res.Migrations) != 1 {
		t.Fatalf("Apply = %+v, %v", res, err)
	}
	if res, err = e.Apply(ctx, executor.ApplyOptions{To: "head"}); err != nil || res.To != "0003" || len(res.Migrations) != 0 {
		t.Fatalf("second Apply = %+v, %v", res, err)
	}

	// Downgrade one step, then to a version: rows survive.
	if res, err = e.Downgrade(ctx, "-1"); err != nil || res.From != "0003" || res.To != "0002" || !slices.Equal(versions(res.Migrations), []string{"0003"}) {
		t.Fatalf("Downgrade -1 = %+v, %v", res, err)
	}
	if slices.Contains(tables(t, e.DB), "team") {
		t.Error("team survived its downgrade")
	}
	if res, err = e.Downgrade(ctx, "1"); err != nil || res.To != "0001" {
		t.Fatalf("Downgrade 1 = %+v, %v", res, err)
	}
	if got := columns(t, e.DB, "hero"); slices.Contains(got, "power") {
		t.Errorf("hero columns after downgrade = %v", got)
	}
	var n int
	if err := e.DB.QueryRow("SELECT count(*) FROM hero").Scan(&n); err != nil || n != 3 {
		t.Errorf("heroes after downgrade = %d, %v; want 3", n, err)
	}
	st, err = e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != "0001" || !slices.Equal(versions(st.Applied), []string{"0001"}) || !slices.Equal(versions(st.Pending), []string{"0002", "0003"}) {
		t.Errorf("Status at 0001 = %+v", st)
	}

	// Down to base; the version tables stay, empty.
	if res, err = e.Downgrade(ctx, "base"); err != nil || res.To != "" {
		t.Fatalf("Downgrade base = %+v, %v", res, err)
	}
	if diff := cmp.Diff([]string{"schemactl_version", "schemactl_version_history"}, tables(t, e.DB)); diff != "" {
		t.Errorf("tables at base (-want +got):\n%s", diff)
	}

	// Stamp moves the version and runs nothing.
	if _, err := e.Stamp(ctx, "0002"); err != nil {
		t.Fatal(err)
	}
	if v := mustCurrent(t, e); v != "0002" || slices.Contains(tables(t, e.DB), "hero") {
		t.Errorf("after stamp: version %q, tables %v", v, tables(t, e.DB))
	}
	if _, err := e.Stamp(ctx, "base"); err != nil || mustCurrent(t, e) != "" {
		t.Errorf("Stamp base: %v, version %q", err, mustCurrent(t, e))
	}

	// The history tells the whole story.
	hist, err := e.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range hist {
		if !r.Succeeded() || r.Operator == "" || r.StartedAt.IsZero() {
			t.Errorf("history row %+v", r)
		}
		got = append(got, fmt.Sprintf("%d %s %q %d/%d", r.ID, r.Direction, r.Version, r.Done, r.Total))
	}
	want := []string{
		`1 up "0001" 2/2`, `2 up "0002" 1/1`, `3 up "0003" 1/1`, `4 down "0003" 1/1`, `5 down "0002" 1/1`,
		`6 down "0001" 2/2`, `7 stamp "0002" 0/0`, `8 stamp "" 0/0`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if hist[0].Checksum == "" || !strings.HasPrefix(hist[0].Checksum, "h1:") {
		t.Errorf("checksum %q", hist[0].Checksum)
	}
}

func TestApplyRefusesTamperedDirBeforeRunning(t *testing.T) {
	d := heroDir(t, 3)
	e, log := newExec(t, d)
	editFile(t, filepath.Join(d.Path(), "0003_add_teams.sql"), func(s string) string { return s + "DROP TABLE hero;\n" })
	_, err := e.Apply(context.Background(), executor.ApplyOptions{})
	var ce *executor.ChecksumError
	if !errors.As(err, &ce) || ce.File != "0003_add_teams.sql" {
		t.Fatalf("Apply error = %v, want a checksum error on 0003_add_teams.sql", err)
	}
	if got := tables(t, e.DB); len(got) != 0 || len(*log) != 0 {
		t.Errorf("a refused apply created %v and reported %v", got, *log)
	}
	if _, err := e.Downgrade(context.Background(), "base"); !errors.Is(err, executor.ErrChecksum) {
		t.Errorf("Downgrade error = %v, want a checksum error", err)
	}
	st, err := e.Status(context.Background())
	if err != nil || !errors.Is(st.SumErr, executor.ErrChecksum) {
		t.Errorf("Status = %+v, %v; want SumErr", st, err)
	}
}

func TestApplyRefusesUnknownVersion(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 2))
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// Another branch applied 0009.
	if _, err := e.DB.Exec("UPDATE schemactl_version SET version_num = '0009'"); err != nil {
		t.Fatal(err)
	}
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, executor.ErrUnknownVersion) || !strings.Contains(err.Error(), "the database is at 0009") {
		t.Errorf("Apply error = %v, want ErrUnknownVersion naming 0009", err)
	}
	if _, err := e.Downgrade(ctx, "-1"); !errors.Is(err, executor.ErrUnknownVersion) {
		t.Errorf("Downgrade error = %v, want ErrUnknownVersion", err)
	}
	st, err := e.Status(ctx)
	if err != nil || !st.Unknown || st.Current != "0009" || st.Applied != nil || st.Pending != nil {
		t.Errorf("Status = %+v, %v", st, err)
	}
	// Stamping is the way out.
	if _, err := e.Stamp(ctx, "0002"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Stamp(ctx, "0009"); !errors.Is(err, executor.ErrUnknownVersion) {
		t.Errorf("Stamp 0009 error = %v", err)
	}
}

func TestTargets(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 3))
	if _, err := e.Apply(ctx, executor.ApplyOptions{To: "2"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() (*executor.Result, error)
		want string
	}{
		{"apply behind", func() (*executor.Result, error) { return e.Apply(ctx, executor.ApplyOptions{To: "0001"}) }, "the database is at 0002, past the target 0001; use downgrade"},
		{"apply too far", func() (*executor.Result, error) { return e.Apply(ctx, executor.ApplyOptions{To: "+2"}) }, "cannot apply 2 migrations from 0002: only 1 pending"},
		{"apply down", func() (*executor.Result, error) { return e.Apply(ctx, executor.ApplyOptions{To: "-1"}) }, `relative target "-1" goes down; use downgrade`},
		{"apply unknown", func() (*executor.Result, error) { return e.Apply(ctx, executor.ApplyOptions{To: "0007"}) }, `version "0007": version not in the migration directory`},
		{"downgrade ahead", func() (*executor.Result, error) { return e.Downgrade(ctx, "0003") }, "the database is at 0002, behind the target 0003; use apply"},
		{"downgrade too far", func() (*executor.Result, error) { return e.Downgrade(ctx, "-3") }, "cannot downgrade 3 migrations from 0002: only 2 applied"},
		{"downgrade garbage", func() (*executor.Result, error) { return e.Downgrade(ctx, "-x") }, `bad relative target "-x"`},
		{"downgrade empty", func() (*executor.Result, error) { return e.Downgrade(ctx, "") }, "no target version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.run()
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant prefix %q", err, tt.want)
			}
		})
	}
	if v := mustCurrent(t, e); v != "0002" {
		t.Errorf("refused targets moved the version to %q", v)
	}
	// Downgrade to the current version does nothing.
	if res, err := e.Downgrade(ctx, "0002"); err != nil || len(res.Migrations) != 0 {
		t.Errorf("Downgrade to current = %+v, %v", res, err)
	}
}

func TestFailingStatementLeavesVersionAndSchema(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 1)
	if _, err := d.Write("villains", []executor.Statement{
		{SQL: "CREATE TABLE `villain` (`id` integer)"},
		{SQL: "ALTER TABLE `hero` ADD COLUMN `nemesis` integer"},
		{SQL: "INSERT INTO `lair` VALUES (1)"},
	}, []executor.Statement{{SQL: "DROP TABLE `villain`"}}); err != nil {
		t.Fatal(err)
	}
	e, log := newExec(t, d)
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if res == nil || res.To != "0001" || res.Statements != 2 || !slices.Equal(versions(res.Migrations), []string{"0001"}) {
		t.Errorf("Result of a failed run = %+v; want 0001 applied, 2 statements that stayed", res)
	}
	var se *executor.StmtError
	if !errors.As(err, &se) {
		t.Fatalf("Apply error = %v (%T), want a *StmtError", err, err)
	}
	if se.File != "0002_villains.sql" || se.Index != 3 || se.Total != 3 || se.Stmt.SQL != "INSERT INTO `lair` VALUES (1)" || se.Stmt.Line != 9 || se.Direction != executor.Up {
		t.Errorf("StmtError = %+v", se)
	}
	want := "0002_villains.sql:9: statement 3 of 3: SQL logic error: no such table: lair (1)\n\tINSERT INTO `lair` VALUES (1)"
	if err.Error() != want {
		t.Errorf("error text\n%s\nwant\n%s", err, want)
	}
	if v := mustCurrent(t, e); v != "0001" {
		t.Errorf("version after a failed migration = %q, want 0001", v)
	}
	if got := tables(t, e.DB); slices.Contains(got, "villain") {
		t.Errorf("tables after a failed migration = %v", got)
	}
	if got := columns(t, e.DB, "hero"); slices.Contains(got, "nemesis") {
		t.Errorf("hero columns after a failed migration = %v", got)
	}
	if last := (*log)[len(*log)-1]; last != "failed up 0002" {
		t.Errorf("last event = %q", last)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := st.Failure
	if f == nil || f.File != "0002_villains.sql" || f.ErrorStatement != 3 || f.Done != 0 || f.Partial || f.Interrupted || !strings.Contains(f.Error, "no such table: lair") {
		t.Errorf("Status.Failure = %+v", f)
	}

	// Fix the file, accept the edit, and apply: the failure is history.
	editFile(t, filepath.Join(d.Path(), "0002_villains.sql"), func(s string) string {
		return strings.Replace(s, "INSERT INTO `lair` VALUES (1);", "CREATE TABLE `lair` (`id` integer);", 1)
	})
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	if res, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil || res.To != "0002" || res.Statements != 3 {
		t.Fatalf("Apply after fix = %+v, %v", res, err)
	}
	if st, err := e.Status(ctx); err != nil || st.Failure != nil || len(st.Pending) != 0 {
		t.Errorf("Status after fix = %+v, %v", st, err)
	}
}

func TestForeignKeyViolationRollsBack(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 0)
	if _, err := d.Write("teams", []executor.Statement{
		{SQL: "CREATE TABLE `team` (`id` integer PRIMARY KEY)"},
		{SQL: "CREATE TABLE `member` (`id` integer PRIMARY KEY, `team_id` integer REFERENCES `team` (`id`))"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Write("orphan", []executor.Statement{{SQL: "INSERT INTO `member` VALUES (1, 42)"}}, nil); err != nil {
		t.Fatal(err)
	}
	e, _ := newExec(t, d)
	_, err := e.Apply(ctx, executor.ApplyOptions{})
	if !errors.Is(err, sqlite.ErrForeignKeyViolation) || !strings.HasPrefix(err.Error(), "0002_orphan.sql: commit: ") {
		t.Fatalf("Apply error = %v, want a foreign key violation at commit", err)
	}
	if v := mustCurrent(t, e); v != "0001" {
		t.Errorf("version = %q, want 0001", v)
	}
	var n int
	if err := e.DB.QueryRow("SELECT count(*) FROM member").Scan(&n); err != nil || n != 0 {
		t.Errorf("members = %d, %v; want the insert rolled back", n, err)
	}
	st, err := e.Status(ctx)
	if err != nil || st.Failure == nil || st.Failure.Version != "0002" || st.Failure.ErrorStatement != 0 {
		t.Errorf("Status = %+v, %v", st.Failure, err)
	}
}

func TestDowngradeRefusesIrreversible(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 2)
	writeFile(t, d, "0003_purge.sql", "-- schemactl 0003 \"purge\"\n-- revises: 0002\n-- +up\nDELETE FROM hero;\n")
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	e, _ := newExec(t, d)
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := e.Downgrade(ctx, "0001")
	if err == nil || err.Error() != "0003_purge.sql has no -- +down section; cannot downgrade past 0003" {
		t.Fatalf("Downgrade error = %v", err)
	}
	if v := mustCurrent(t, e); v != "0003" {
		t.Errorf("version = %q; nothing should have run", v)
	}
}

func TestCustomVersionTable(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 1))
	e.VersionTable = "my versions`; DROP TABLE hero; --"
	if _, err := e.Apply(ctx, executor.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"hero", "my versions`; DROP TABLE hero; --", "my versions`; DROP TABLE hero; --_history"}
	if diff := cmp.Diff(want, tables(t, e.DB)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1:], e.Tables()); diff != "" {
		t.Errorf("Tables() (-want +got):\n%s", diff)
	}
	if v := mustCurrent(t, e); v != "0001" {
		t.Errorf("Current = %q", v)
	}
}

func TestExecutorNeedsItsParts(t *testing.T) {
	ctx := context.Background()
	for _, e := range []*executor.Executor{{}, {DB: &sql.DB{}}, {DB: &sql.DB{}, Driver: sqlite.New()}} {
		if _, err := e.Apply(ctx, executor.ApplyOptions{}); err == nil || !strings.HasPrefix(err.Error(), "no ") {
			t.Errorf("Apply on %+v: %v", e, err)
		}
	}
}

// A hand-written file with a trigger body, comments and a statement without
// its semicolon runs on the real engine as the splitter cut it.
func TestApplyHandWrittenFile(t *testing.T) {
	ctx := context.Background()
	d := heroDir(t, 1)
	writeFile(t, d, "0002_audit.sql", `-- schemactl 0002 "audit"
-- revises: 0001
-- Written by hand; reviewed in PR 42.
-- +up
CREATE TABLE audit (hero_id integer, note text); -- one row per change
/* the trigger body holds semicolons */
CREATE TRIGGER hero_audit AFTER INSERT ON hero BEGIN
  INSERT INTO audit VALUES (new.id, 'created; ' || CASE WHEN new.age IS NULL THEN 'ageless' ELSE 'aged' END);
  INSERT INTO audit VALUES (new.id, 'done');
END;
INSERT INTO hero (name, secret_name) VALUES ('Deadpond', 'Dive ''D'' Wilson')
-- +down
DROP TRIGGER hero_audit;
DELETE FROM hero;
DROP TABLE audit;
`)
	if err := d.WriteSum(); err != nil {
		t.Fatal(err)
	}
	e, _ := newExec(t, d)
	res, err := e.Apply(ctx, executor.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Statements != 5 {
		t.Errorf("statements run = %d, want 5", res.Statements)
	}
	var notes string
	if err := e.DB.QueryRow("SELECT group_concat(note, '|') FROM audit").Scan(&notes); err != nil || notes != "created; ageless|done" {
		t.Errorf("audit = %q, %v", notes, err)
	}
	if _, err := e.Downgrade(ctx, "-1"); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(tables(t, e.DB), "audit") {
		t.Error("audit survived the downgrade")
	}
	if _, err := e.Stamp(ctx, "+1"); err == nil || !strings.Contains(err.Error(), "stamp takes a version") {
		t.Errorf("Stamp +1: %v", err)
	}
}

// TestWithoutOwnTables: the version and history tables (under a custom
// name too) are not the user's schema.
func TestWithoutOwnTables(t *testing.T) {
	e := &executor.Executor{VersionTable: "app_version"}
	r := &schema.Realm{Schemas: []*schema.Schema{{Tables: []*schema.Table{
		{Name: "hero"}, {Name: "app_version"}, {Name: "app_version_history"}, {Name: "schemactl_version"}}}}}
	var got []string
	for _, tb := range e.WithoutOwnTables(r).Schemas[0].Tables {
		got = append(got, tb.Name)
	}
	if want := []string{"hero", "schemactl_version"}; !slices.Equal(got, want) {
		t.Errorf("tables %q, want %q", got, want)
	}
}

// TestStampResolves: Stamp returns the version the table now holds, as
// the directory spells it, so that callers print that and not what the
// user typed.
func TestStampResolves(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 3))
	for _, tc := range []struct{ arg, want string }{
		{"1", "0001"},
		{" 0002 ", "0002"},
		{"head", "0003"},
		{"HEAD", "0003"},
		{"base", ""},
	} {
		got, err := e.Stamp(ctx, tc.arg)
		if err != nil || got != tc.want {
			t.Errorf("Stamp(%q) = %q, %v; want %q", tc.arg, got, err, tc.want)
		}
		if v := mustCurrent(t, e); v != tc.want {
			t.Errorf("after Stamp(%q) the table holds %q, want %q", tc.arg, v, tc.want)
		}
	}
	if got, err := e.Stamp(ctx, "0009"); !errors.Is(err, executor.ErrUnknownVersion) || got != "" {
		t.Errorf("Stamp(0009) = %q, %v; want ErrUnknownVersion", got, err)
	}
}

// TestStampRefusesNoTarget: an empty target, or the head of a directory
// without migrations, is refused and the version stays: neither may erase
// it as base did.
func TestStampRefusesNoTarget(t *testing.T) {
	ctx := context.Background()
	e, _ := newExec(t, heroDir(t, 2))
	if _, err := e.Stamp(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{"", "  "} {
		if _, err := e.Stamp(ctx, arg); err == nil || !strings.Contains(err.Error(), "stamp needs a version") {
			t.Errorf("Stamp(%q) error = %v", arg, err)
		}
	}
	empty := *e
	empty.Dir = executor.OpenFS(fstest.MapFS{})
	if _, err := empty.Stamp(ctx, "head"); err == nil || !strings.Contains(err.Error(), "no head to stamp") {
		t.Errorf("Stamp(head) of an empty directory: %v", err)
	}
	if v := mustCurrent(t, e); v != "0002" {
		t.Errorf("after the refusals the table holds %q, want 0002", v)
	}
}
