package executor

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// OnlineAlterer runs ALTER TABLE statements without blocking writes to
// the table, through an external tool (mysql.OnlineTool:
// pt-online-schema-change). A migration asks for it with a
// "-- schemactl:online" header line, or every migration of a run with
// Executor.OnlineAll.
type OnlineAlterer interface {
	// OnlineCheck says whether stmt, about to run on conn, goes through
	// the tool; when it does not, why says so ("" for a statement that is
	// not an ALTER TABLE). An error refuses the statement, which then
	// does not run: the tool would lose rows where the plain statement
	// fails, or cannot run it. trial lets it try whether the server does
	// the change INSTANT (which then runs as written) on a throwaway copy;
	// without it nothing is created, and such a change reports online.
	OnlineCheck(ctx context.Context, conn *sql.Conn, stmt string, trial bool) (online bool, why string, err error)
	// OnlineImage is the pre-image of what an online run of stmt changes,
	// recorded before it starts (IntentOnline).
	OnlineImage(ctx context.Context, conn *sql.Conn, stmt string) (string, error)
	// AlterOnline runs stmt through the tool; progress hears its progress.
	AlterOnline(ctx context.Context, conn *sql.Conn, stmt string, progress func(string)) error
	// ResolveOnline decides a statement the tool was running when a run
	// died, after removing what the tool left; pre is OnlineImage's text.
	ResolveOnline(ctx context.Context, conn *sql.Conn, stmt, pre string) (OnlineResolution, error)
}

// OnlineResolution is what OnlineAlterer.ResolveOnline decided. It is an
// alias of a struct literal, which a tool's package spells the same way
// without importing this one.
type OnlineResolution = struct {
	// Known is set when the catalog tells; TookEffect is then the answer.
	Known, TookEffect bool
	// Why says how it was decided, or why it cannot be.
	Why string
	// Cleaned says what the tool had left, and was removed or found.
	Cleaned []string
}

// IntentOnline: an ALTER TABLE of an online migration; Image is the
// OnlineAlterer's pre-image of the table and the tables that refer to it.
const IntentOnline IntentKind = "online"

// OnlineUnavailableError refuses a migration that asks to run online
// where no tool can (an engine without one).
type OnlineUnavailableError struct {
	File string
	// All is set when the run asked (Executor.OnlineAll), not the file.
	All bool
}

func (e *OnlineUnavailableError) Error() string {
	what := e.File + " asks to run online (-- schemactl:online)"
	if e.All {
		what = "--online asks to run " + e.File + " online"
	}
	return what + ", which needs pt-online-schema-change on MySQL or MariaDB; this database has no online path, and nothing ran"
}

// checkOnlineAvailable refuses, before anything runs, migrations that ask
// to run online where there is no online path.
func (e *Executor) checkOnlineAvailable(todo []*Migration) error {
	if e.Online != nil {
		return nil
	}
	for _, m := range todo {
		if m.Online || e.OnlineAll {
			return &OnlineUnavailableError{File: m.File, All: !m.Online}
		}
	}
	return nil
}

// wantsOnline reports whether m's ALTER TABLE statements go online.
func (r *runner) wantsOnline(m *Migration) bool { return m.Online || r.e.OnlineAll }

// onlineAlter is whether statement i of m is an ALTER TABLE that may run
// through the tool, as its record must say before it starts.
func (r *runner) onlineAlter(ctx context.Context, m *Migration, i int) (bool, error) {
	if !r.wantsOnline(m) || r.e.Online == nil {
		return false, nil
	}
	cl, err := r.classify(ctx, m.Statements(r.dir)[i].SQL)
	if err != nil {
		return false, err
	}
	return cl.Kind == sqltext.DDL && cl.Verb == "ALTER TABLE", nil
}

// checkOnline judges, before m's first statement runs, its ALTER TABLE
// statements from statement first on as they would run against the
// schema as it is, creating nothing. It refuses a migration that asks to
// run online where it cannot, and each statement the tool would run
// wrongly: nothing has run yet. A statement on a table that an earlier
// one creates or changes is left to its run (Later), which judges it
// again. Nothing is judged when m does not ask to run online.
func (r *runner) checkOnline(ctx context.Context, m *Migration, first int) ([]OnlineForecast, error) {
	if !r.wantsOnline(m) {
		return nil, nil
	}
	if r.e.Online == nil {
		return nil, &OnlineUnavailableError{File: m.File, All: !m.Online}
	}
	stmts := m.Statements(r.dir)
	var out []OnlineForecast
	touched := map[string]bool{} // tables earlier statements change
	for i := first; i < len(stmts); i++ {
		cl, err := r.classify(ctx, stmts[i].SQL)
		if err != nil {
			return nil, err
		}
		if cl.Kind == sqltext.DDL && cl.Verb == "ALTER TABLE" {
			online, why, err := r.e.Online.OnlineCheck(ctx, r.conn, stmts[i].SQL, false)
			if err != nil {
				return nil, &StmtError{File: m.File, Version: m.Version, Direction: r.dir, Index: i + 1, Total: len(stmts), Stmt: stmts[i], Err: err}
			}
			f := OnlineForecast{Index: i + 1, Online: online, Why: why}
			for _, o := range cl.Objects {
				if touched[o.Name] {
					f = OnlineForecast{Index: i + 1, Later: true, Why: fmt.Sprintf("an earlier statement of the migration changes table %q", o.Name)}
					break
				}
			}
			out = append(out, f)
		}
		for _, o := range cl.Objects {
			touched[o.Name] = true
		}
	}
	return out, nil
}

// execOnline runs statement st, an ALTER TABLE of an online migration:
// through the tool, or as it is when the tool says it need not (the
// server does it INSTANT). handled is false for a statement that is not
// the tool's to judge.
func (r *runner) execOnline(ctx context.Context, m *Migration, i int, st Statement) (handled bool, err error) {
	on, err := r.onlineAlter(ctx, m, i)
	if err != nil || !on {
		return false, err
	}
	online, why, err := r.e.Online.OnlineCheck(ctx, r.conn, st.SQL, true)
	if err != nil {
		return true, err
	}
	total := len(m.Statements(r.dir))
	r.e.emit(&OnlineStatement{Migration: m, Direction: r.dir, Index: i + 1, Total: total, Online: online, Why: why})
	if !online {
		return true, r.execStmt(ctx, st.SQL)
	}
	return true, r.e.Online.AlterOnline(ctx, r.conn, st.SQL, func(line string) {
		r.e.emit(&OnlineProgress{Migration: m, Direction: r.dir, Index: i + 1, Total: total, Text: line})
	})
}

// resolveOnline decides a statement in doubt that an online run left.
func (r *runner) resolveOnline(ctx context.Context, m *Migration, st Statement, pre string,
	decided func(bool, string) (int, error), refuse func(string) error) (int, error) {
	if r.e.Online == nil {
		return 0, refuse("it ran through pt-online-schema-change, which this run cannot reach to clean up after it")
	}
	res, err := r.e.Online.ResolveOnline(ctx, r.conn, st.SQL, pre)
	if err != nil {
		return 0, fmt.Errorf("decide a statement in doubt that ran online: %w", err)
	}
	if len(res.Cleaned) > 0 {
		r.e.emit(&OnlineCleaned{Migration: m, Direction: r.dir, What: res.Cleaned})
	}
	if !res.Known {
		return 0, refuse(res.Why)
	}
	return decided(res.TookEffect, res.Why)
}

// OnlineForecast is, with DryRun, how an ALTER TABLE of the first
// migration to run, which asks to run online, would run, judged against
// the schema as it is and without creating anything.
type OnlineForecast struct {
	Index int // 1-based, in the migration
	// Online: it goes through the tool, unless the server does it INSTANT,
	// which the run tries when it comes to it. Otherwise it runs as
	// written, and Why says why.
	Online bool
	Why    string
	// Later: it cannot be judged now (Why says why: an earlier statement
	// of the migration changes or creates its table); the run decides.
	Later bool
}

// forecastOnline judges, for a dry run, the ALTER TABLE statements of
// todo[0] from statement first on, as the run will before the migration
// starts (checkOnline): a refusal is the error the run would stop with.
// Later migrations run against a schema the earlier ones change, so they
// are decided when they run.
func (e *Executor) forecastOnline(ctx context.Context, todo []*Migration, dir Direction, first int) ([]OnlineForecast, error) {
	if len(todo) == 0 || e.Online == nil || !(todo[0].Online || e.OnlineAll) {
		return nil, nil
	}
	var out []OnlineForecast
	err := e.withConn(ctx, func(conn *sql.Conn) (err error) {
		r := &runner{e: e, conn: conn, dir: dir}
		out, err = r.checkOnline(ctx, todo[0], first)
		return err
	})
	return out, err
}
