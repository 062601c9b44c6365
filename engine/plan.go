package engine

import (
	"context"
	"errors"
	"fmt"
	"github.com/schemactl/schemactl/dialect/mysql"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// PlanOptions say what to plan and whether to write it.
type PlanOptions struct {
	// Schema names the HCL files, or directories of *.hcl, that describe
	// the schema wanted. Their diagnostics come back in Plan.Warnings, or
	// as a *SchemaError when they have errors.
	Schema []string
	// Vars are the values of the schema's variable blocks, by name.
	Vars map[string]string
	// Desired is the schema wanted, already decoded, instead of Schema.
	Desired *schema.Realm
	// Renames are rename hints besides the renamed_from of Desired.
	Renames []planner.Rename
	// AllowDestructive lets the plan drop tables and columns and narrow
	// types; otherwise such a plan is returned with a *lint.DestructiveError.
	// The migration then carries, above each statement of such a change,
	// the nolint directive that approves it, with Reason (default
	// lint.DefaultApproval): fixed text, so plans stay byte-identical.
	AllowDestructive bool
	Reason           string
	// Dev plans against the scratch database with the directory replayed
	// into it instead of the live database, which is never opened: CI can
	// plan a pull request without production credentials.
	Dev bool
	// Message, when set and the plan has changes, writes the plan as the
	// next migration of the directory, named after it.
	Message string
	// DryRun writes nothing: Plan.Preview is the file Message would give.
	// Without it, a SQLite file that does not exist is created (empty),
	// for the first migration.
	DryRun bool
	// AnyDatabase plans a MySQL schema file whose schema block names
	// another database than the target's, which is otherwise refused as
	// a file meant for another database: for a fleet, whose databases
	// cannot all bear the file's one name (the fleet's URLs name them).
	AnyDatabase bool
	// Note receives remarks that are not errors, such as a database file
	// or migration directory created; nil drops them.
	Note func(msg string)
}

// Plan is a planned migration and where it was planned.
type Plan struct {
	*lint.Plan
	// Where is the database planned against (the dev database's URL with
	// Dev), without its password.
	Where string
	Dev   bool
	// Current is the database's version and Head the directory's ("" =
	// base / none); a plan is only made when they are equal.
	Current, Head string
	// Fingerprint is the planned-against fingerprint of Live.
	Fingerprint string
	// Live is the schema planned against, without schemactl's own tables;
	// its Objects and triggers are what schemactl leaves alone.
	Live *schema.Realm
	// Written is the migration written (with Message), else nil; File is
	// its path.
	Written *executor.Migration
	File    string
	// Preview is, with DryRun and changes, the file that would be
	// written, byte for byte.
	Preview []byte
	// Warnings are what decoding Schema reported that is not an error.
	Warnings *Diagnostics
}

// Diagnostics are what decoding HCL reported, with the files for
// rendering them (schemahcl.WriteDiagnostics).
type Diagnostics struct {
	Files schemahcl.Files
	Diags hcl.Diagnostics
}

// SchemaError is a schema whose HCL has errors; Diags holds every one,
// warnings included.
type SchemaError struct {
	Paths []string
	Diagnostics
}

func (e *SchemaError) Error() string {
	n := 0
	for _, d := range e.Diags {
		if d.Severity == hcl.DiagError {
			n++
		}
	}
	return fmt.Sprintf("%d %s in %s", n, plural(n, "error", "errors"), strings.Join(e.Paths, ", "))
}

// Plan diffs the live schema (or with opts.Dev the replayed directory)
// against opts.Desired, lints the changes and, with opts.Message, writes
// them as the next migration. A plan with destructive changes that are not
// allowed comes back together with a *lint.DestructiveError, so callers
// can show what would have run; nothing is written then.
func (e *Engine) Plan(ctx context.Context, opts PlanOptions) (*Plan, error) {
	if opts.Desired == nil && len(opts.Schema) == 0 {
		return nil, errors.New("no schema: pass --schema FILE or --schema DIR")
	}
	dir, err := e.Dir()
	if err != nil {
		return nil, err
	}
	// Everything that needs no database is checked first: bad input
	// changes nothing, not even by creating a SQLite file.
	out := &Plan{Dev: opts.Dev}
	desired := opts.Desired
	if desired == nil {
		realm, files, diags := e.loadSchema(opts.Vars, !opts.AnyDatabase, opts.Schema...)
		if diags.HasErrors() {
			return nil, &SchemaError{Paths: opts.Schema, Diagnostics: Diagnostics{files, diags}}
		}
		if len(diags) > 0 {
			out.Warnings = &Diagnostics{files, diags}
		}
		desired = realm
	}
	// A directory that does not exist yet gets the first migration.
	dirErr := dir.Stat()
	exists := dirErr == nil
	if dirErr != nil && !errors.Is(dirErr, executor.ErrNoDir) {
		return out, dirErr
	}
	if exists {
		if err := dir.Verify(); err != nil {
			return out, err
		}
		if out.Head, err = dir.Head(); err != nil {
			return out, err
		}
	}
	target, ex, closeFn, err := e.planTarget(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	out.Where = target.display
	if err := target.d.Normalize(desired); err != nil {
		return out, err
	}
	if c, ok := target.d.(clusterChecker); ok && !opts.Dev {
		if err := c.ClusterCheck(desired); err != nil {
			return out, err
		}
	}
	if desired, err = planner.WithRenames(desired, opts.Renames); err != nil {
		return out, err
	}
	if out.Current, err = ex.Current(ctx); err != nil {
		return out, err
	}
	if out.Current != out.Head {
		// A plan is made against the state the pending migrations leave.
		return out, e.notAtHead(ctx, ex, out.Current, out.Head, dirErr)
	}
	if out.Live, err = inspectManaged(ctx, target, target.db, ex); err != nil {
		return out, err
	}
	if err := checkRenames(out.Live, opts.Renames); err != nil {
		return out, err
	}
	out.Fingerprint = planner.Fingerprint(out.Live)
	lopts := lint.Options{AllowDestructive: opts.AllowDestructive}
	if !opts.Dev {
		lopts.Rows = rowCounter(ctx, target, lint.DefaultLargeTable)
		lopts.Sizes = tableSizes(ctx, target)
	}
	out.Plan, err = lint.New(out.Live, desired, target.d, lopts)
	if err != nil || out.Plan.Empty() {
		return out, err
	}
	if opts.AllowDestructive {
		// The approval goes into the file, so that lint passes it as
		// written.
		out.Plan.Approve(opts.Reason)
	}
	if opts.DryRun {
		_, out.Preview, err = dir.Next(opts.Message, out.Fingerprint, toExec(out.Plan.Up), toExec(out.Plan.Down))
		return out, err
	}
	if opts.Message == "" {
		return out, nil
	}
	if e.t.FS != nil {
		return out, errors.New("cannot write a migration into an embedded directory")
	}
	if out.Written, err = dir.WritePlanned(opts.Message, out.Fingerprint, toExec(out.Plan.Up), toExec(out.Plan.Down)); err != nil {
		return out, err
	}
	if !exists && opts.Note != nil {
		opts.Note(fmt.Sprintf("created the migration directory %s", e.DirPath()))
	}
	out.File = filepath.Join(e.DirPath(), out.Written.File)
	return out, nil
}

// clusterChecker is implemented by dialects whose target may be a cluster
// that replicates some tables unsafely (Galera: non-InnoDB tables, tables
// without a primary key); a plan against such a target refuses them.
type clusterChecker interface {
	ClusterCheck(desired *schema.Realm) error
}

// notAtHead is why a plan cannot be made on a database at version cur
// when the directory's head is head. It is the diagnosis apply would give,
// so that the two never send the user to each other: a version the
// directory lacks, or drift that apply refuses (a *executor.DriftError,
// for ExplainDrift), is apply's error; only when apply would run does the
// way out read "apply first".
func (e *Engine) notAtHead(ctx context.Context, ex *executor.Executor, cur, head string, dirErr error) error {
	if dirErr != nil {
		return fmt.Errorf("the database is at %s, but there is %w", versionName(cur), dirErr)
	}
	check := *ex
	check.CheckDrift = e.driftCheck(&check, nil)
	if _, err := check.Apply(ctx, executor.ApplyOptions{DryRun: true}); err != nil {
		return err
	}
	return fmt.Errorf("database is at %s but %s is at %s: run schemactl apply first, then plan again",
		versionName(cur), e.DirPath(), versionName(head))
}

// planTarget opens what a plan diffs against: the live database, or with
// dev a scratch database with the directory replayed into it.
func (e *Engine) planTarget(ctx context.Context, opts PlanOptions) (*database, *executor.Executor, func() error, error) {
	if !opts.Dev {
		ex, err := e.executor(ctx, access{create: !opts.DryRun, note: opts.Note, newDir: true})
		if err != nil {
			return nil, nil, nil, err
		}
		return e.live, ex, func() error { return nil }, nil
	}
	s, err := e.openDev(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	ex, err := e.replay(ctx, s, "")
	if err != nil {
		s.close(ctx)
		return nil, nil, nil, err
	}
	return s.database, ex, func() error { return s.close(ctx) }, nil
}

// rowCounter counts the rows of a live table for lint, up to limit: a
// bounded count costs at most limit rows of an index scan, and lint only
// needs to know "empty" and "large". Tables are counted once, when lint
// asks; an error makes the count unknown.
func rowCounter(ctx context.Context, db *database, limit int64) func(string) (int64, bool) {
	cache := map[string]int64{}
	return func(table string) (int64, bool) {
		if n, ok := cache[table]; ok {
			return n, n >= 0
		}
		q := fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT %d) AS t", db.d.QuoteIdent(table), limit)
		var n int64
		if err := db.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			cache[table] = -1
			return 0, false
		}
		cache[table] = n
		return n, true
	}
}

// sizer is implemented by dialects that read every table's size in one
// query (MySQL's information_schema.TABLES).
type sizer interface {
	TableSizes(ctx context.Context, q mysql.Querier) (map[string]mysql.TableSize, error)
}

// tableSizes reads the live tables' sizes once, when lint first asks, for
// plan's notes on how the server alters them; an error leaves them
// unknown, which the notes say.
func tableSizes(ctx context.Context, db *database) func(string) (lint.TableSize, bool) {
	sz, ok := db.d.(sizer)
	if !ok {
		return nil
	}
	var sizes map[string]mysql.TableSize
	read := false
	return func(table string) (lint.TableSize, bool) {
		if !read {
			read = true
			sizes, _ = sz.TableSizes(ctx, db.db)
		}
		s, ok := sizes[table]
		return lint.TableSize{Rows: s.Rows, Bytes: s.Bytes}, ok
	}
}

func toExec(stmts []planner.Statement) []executor.Statement {
	out := make([]executor.Statement, len(stmts))
	for i, s := range stmts {
		out[i] = executor.Statement{Comment: s.Comment, SQL: s.SQL}
	}
	return out
}

// versionName prints the empty version as "base", as Alembic does.
func versionName(v string) string {
	if v == "" {
		return "base"
	}
	return v
}

// LoadSchema decodes HCL files, or directories of *.hcl, into the schema
// the target should have, for PlanOptions.Desired. On MySQL the schema
// block must name the target's database (any name without a database).
// vars are the values of its variable blocks (--var name=value).
// Diagnostics, warnings included, come back for the caller to print
// (schemahcl.WriteDiagnostics); the realm is nil when they hold errors.
func (e *Engine) LoadSchema(vars map[string]string, paths ...string) (*schema.Realm, schemahcl.Files, hcl.Diagnostics) {
	return e.loadSchema(vars, true, paths...)
}

// loadSchema is LoadSchema; checkName false lets the schema block name
// another database than the target's.
func (e *Engine) loadSchema(vars map[string]string, checkName bool, paths ...string) (*schema.Realm, schemahcl.Files, hcl.Diagnostics) {
	db := ""
	if checkName {
		db = e.Database()
	}
	return schemahcl.LoadPaths(schemahcl.Options{Dialect: e.dialect(), Database: db, OwnTables: OwnTables(e.t.VersionTable), ForeignTables: ForeignTables(), Vars: vars}, paths...)
}

// OwnTables names the tables schemactl keeps its history in, for the
// version table named (DefaultVersionTable when ""): a schema may not
// declare them.
func OwnTables(versionTable string) []string {
	return (&executor.Executor{VersionTable: versionTable}).Tables()
}

// ForeignTables names the tables of other tools that inspection leaves out
// (Alembic's alembic_version): a schema may not declare them.
func ForeignTables() []string { return slices.Clone(foreignTables) }

// HCLDialect is the dialect that decodes and encodes the target's schema
// language (schemahcl.Encode of what Inspect returns).
func (e *Engine) HCLDialect() schemahcl.Dialect { return e.dialect() }

// Diff is the changes that turn one schema into another on this target's
// engine, both already normalised (as Inspect and Expected return them).
func (e *Engine) Diff(from, to *schema.Realm) ([]schema.Change, error) {
	return planner.Diff(from, to, e.dialect())
}

// dialect is the live database's dialect, or the target engine's without
// a database.
func (e *Engine) dialect() dialect {
	if e.live != nil {
		return e.live.d
	}
	return offline(e.kind)
}

// checkRenames refuses a rename hint of opts (--rename) whose old name the
// live schema lacks. A renamed_from in the HCL that names nothing is the
// steady state after its rename ran; a flag is given for this plan only,
// and one that names nothing is a typo that would otherwise plan a drop
// and an add, losing the rows.
func checkRenames(live *schema.Realm, renames []planner.Rename) error {
	if len(renames) == 0 || live == nil || len(live.Schemas) != 1 {
		return nil
	}
	s := live.Schemas[0]
	tableOf := func(name string) *schema.Table {
		for _, t := range s.Tables {
			if strings.EqualFold(t.Name, name) {
				return t
			}
		}
		return nil
	}
	// A column or index names its table by its new name or its old one.
	oldTable := map[string]string{}
	for _, r := range renames {
		if r.Kind == "table" {
			oldTable[strings.ToLower(r.To)] = r.From
		}
	}
	for _, r := range renames {
		switch r.Kind {
		case "table":
			if tableOf(r.From) == nil {
				return fmt.Errorf("--rename %s: the database has no table %q, so the rename names nothing", r, r.From)
			}
		case "column", "index":
			t := tableOf(r.Table)
			if from, ok := oldTable[strings.ToLower(r.Table)]; ok && t == nil {
				t = tableOf(from)
			}
			if t == nil {
				return fmt.Errorf("--rename %s: the database has no table %q, so the rename names nothing", r, r.Table)
			}
			found := false
			if r.Kind == "column" {
				found = slices.ContainsFunc(t.Columns, func(c *schema.Column) bool { return strings.EqualFold(c.Name, r.From) })
			} else {
				found = slices.ContainsFunc(t.Indexes, func(i *schema.Index) bool { return strings.EqualFold(i.Name, r.From) })
			}
			if !found {
				return fmt.Errorf("--rename %s: table %q has no %s %q in the database, so the rename names nothing", r, t.Name, r.Kind, r.From)
			}
		}
	}
	return nil
}
