package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

func newApplyCmd() *cobra.Command { return applyCmd("apply") }

// newUpgradeCmd is apply under Alembic's name, taking the target as
// Alembic does: head, +N or a version, after the flags.
func newUpgradeCmd() *cobra.Command {
	cmd := applyCmd("upgrade")
	cmd.Use = "upgrade [head|+N|VERSION] --url URL [flags of apply]"
	cmd.Short = "Apply under Alembic's name: run pending migrations up to a target"
	cmd.Long = `Upgrade is apply (see apply --help; the flags are the same) with the target
given as Alembic gives it: head (the default), +N (N more migrations) or a
version such as 0003. --to may name it instead.`
	cmd.Example = `  schemactl upgrade head --url sqlite://app.db
  schemactl upgrade +1 --url sqlite://app.db`
	return cmd
}

func applyCmd(name string) *cobra.Command {
	var (
		db         dbFlags
		to         string
		dryRun     bool
		allowDrift bool
		devURL     string
		accept     []string
		resumeDone bool
		resumeRun  bool
		grace      time.Duration
		pf         preflightFlags
		o          migrateOutput
		ff         fleetFlags
	)
	cmd := &cobra.Command{
		Use:   "apply --url URL [--dir migrations] [--to VERSION] [--dry-run] [--format json]",
		Short: "Run pending migrations",
		Long: `Apply takes the migration lock, verifies schemactl.sum (an edited or
conflicting migration stops the run before anything executes), then runs the
pending migrations in order up to --to (default: the head), recording each
version reached. On SQLite every migration runs in one transaction with its
version bump: a failure leaves the previous version and schema. On MySQL and
MariaDB, where every DDL statement commits, progress is recorded statement by
statement and a later apply resumes at the statement that failed. A statement
that was running when a run died is "in doubt": the next apply decides under
the lock whether it took effect (see README, Safety), and refuses when it
cannot tell; --resume-done or --resume-rerun then give the answer. Ctrl-C or
SIGTERM stops after the running statement; a second one stops the statement.

Before running a migration that plan wrote, apply compares the live schema
with the fingerprint of the schema it was planned against (its
"-- planned-against:" line) and refuses on a mismatch: someone changed the
database by hand, or the plan is stale. The refusal shows the difference, found
by replaying the migrations before it into a scratch database (SQLite in
memory, or --dev-url). --allow-drift runs it anyway.

On MySQL and MariaDB each migration is preflighted: before its first
statement, the rows it needs are counted (orphans for a new foreign key,
duplicates for a new unique key, NULLs for NOT NULL, values a narrower type
refuses, rows a new CHECK fails), and a migration the data would break is
refused before anything runs. --no-preflight skips the checks for tables too
big to scan; rows written meanwhile can still break a statement.

On MySQL and MariaDB a migration whose header has a "-- schemactl:online"
line (or every migration, with --online) runs its ALTER TABLE statements
through pt-online-schema-change, so that writers do not wait for the copy,
only for one short chunk of it at a time and for the final swap. Statements
the server does INSTANT run as they are. The tool's copy would clip or drop
rows where a plain ALTER fails: the preflight checks them before anything
runs, and again on the old table after the copy. A new unique or primary
key, a table with triggers of its own or without a key is refused before
anything runs (see docs/scaling.md).

--dry-run prints each migration that would run and its statements, exactly
and in order, and changes nothing. After a partial or in-doubt run
(MySQL/MariaDB) it shows only the statements that remain, and what the next
run will do with a statement in doubt.

--format json prints one document on stdout when the command ends, however
it ends (success, refusal, a failure midway, an interrupt): what ran, and
the error. Progress then goes to stderr, as text, or with --progress json as
one JSON object a line.

Several databases that share the directory (a fleet) are given by --url
more than once, an env whose url is a list, --url-file, or a mysql:// URL
whose database is a glob (mysql://host/tenant_* over SHOW DATABASES: '_' is
itself, not SQL LIKE's any character); --expect N refuses to start unless
they are N. Each target runs as alone; --concurrency N run at once,
--canary K run the first K before the others, --on-failure stop|continue
says whether a failure starts more. Ctrl-C starts no more targets. A line
a target goes to stderr as it ends, then a summary on stdout (kind "fleet"
with --format json); the exit status is 0 only when every target reached
the target version (see docs/scaling.md).`,
		Example: `  schemactl apply --url sqlite://app.db
  schemactl apply --url sqlite://app.db --to 0003
  schemactl apply --url sqlite://app.db --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if cmd.Flags().Changed("to") {
					return &inputError{fmt.Errorf("%s: give the target once, as %s or as --to %s", name, args[0], to)}
				}
				to = args[0]
			}
			if to == "head" {
				to = ""
			}
			urls, isFleet, err := ff.targets(cmd, &db.url)
			if err != nil {
				return err
			}
			if isFleet {
				ctl, err := runControl(cmd.Context(), resumeDone, resumeRun, grace)
				ctl.Online = pf.online
				if err != nil {
					return &inputError{err}
				}
				return runFleetApply(cmd, urls, &db, devURL, &ff, &o, ctl, engine.ApplyOptions{
					To: to, DryRun: dryRun, AllowDrift: allowDrift, AcceptEdited: accept, Preflight: pf.options(),
				})
			}
			s, err := o.start(cmd, "apply")
			if err != nil {
				return err
			}
			var e *engine.Engine
			res, err := func() (*executor.Result, error) {
				ctl, err := runControl(cmd.Context(), resumeDone, resumeRun, grace)
				ctl.Online = pf.online
				if err != nil {
					return nil, err
				}
				t := db.target()
				t.DevURL = devURL
				if t.URL == "" {
					return nil, engine.ErrNoDatabase
				}
				if e, err = engine.Open(cmd.Context(), t); err != nil {
					return nil, err
				}
				return e.Apply(cmd.Context(), engine.ApplyOptions{
					To: to, DryRun: dryRun, AllowDrift: allowDrift, AcceptEdited: accept,
					Observer: s.observer, Note: s.note,
					Control: ctl, Preflight: pf.options(),
				})
			}()
			if e != nil {
				defer e.Close()
			}
			return s.finish(e, res, err, "")
		},
	}
	if name != "apply" {
		cmd.Args = cobra.MaximumNArgs(1)
	}
	ff.register(cmd) // first: it marks the command as taking several --url
	db.register(cmd)
	cmd.Flags().StringVar(&to, "to", "", "stop at this version (default: head); +N runs N migrations")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print what would run; change nothing")
	cmd.Flags().BoolVar(&allowDrift, "allow-drift", false, "run migrations even when the live schema is not the one they were planned against")
	cmd.Flags().StringVar(&devURL, "dev-url", "", "scratch database to replay migrations into, to show drift (default: SQLite in memory for SQLite)")
	registerAcceptEdited(cmd, &accept)
	resumeFlags(cmd, &resumeDone, &resumeRun, &grace)
	pf.register(cmd)
	o.register(cmd)
	return cmd
}

// preflightFlags are --no-preflight and --preflight-timeout of apply and
// downgrade.
type preflightFlags struct {
	off     bool
	timeout time.Duration
	online  bool
}

func (f *preflightFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.off, "no-preflight", false, "MySQL/MariaDB: skip the data checks before each migration (for tables too big to scan)")
	cmd.Flags().DurationVar(&f.timeout, "preflight-timeout", executor.DefaultPreflightTimeout, "MySQL/MariaDB: how long each preflight check may scan")
	cmd.Flags().BoolVar(&f.online, "online", false, "MySQL/MariaDB: run every migration's ALTER TABLE statements through pt-online-schema-change, as a -- schemactl:online header line does")
}

func (f *preflightFlags) options() engine.Preflight {
	return engine.Preflight{NoPreflight: f.off, PreflightTimeout: f.timeout}
}

func newDowngradeCmd() *cobra.Command {
	var (
		db                    dbFlags
		acceptEdited          []string
		resumeDone, resumeRun bool
		grace                 time.Duration
		pf                    preflightFlags
		dryRun                bool
		to                    string
		o                     migrateOutput
	)
	cmd := &cobra.Command{
		Use:   "downgrade --url URL [--dir migrations] [--dry-run] [--format json] -1|-N|VERSION|base",
		Short: "Run down sections back to a target version",
		Long: `Downgrade runs the down sections of applied migrations, newest first,
until the database is at the target: -1 (one step back), -N, a version such as
0003, or base (before the first migration), given after the flags or as
--to (--to=-1 for a step back). On MySQL and MariaDB each down
section is preflighted as apply does (see apply --help): a down section that
re-creates a table empty and adds a foreign key to it from a table with rows
is refused before anything runs. --no-preflight skips the checks.

--dry-run prints the down sections' statements that would run, in order,
and changes nothing. --format json prints one document on stdout (see
apply --help).`,
		Example: `  schemactl downgrade --url sqlite://app.db -1
  schemactl downgrade --url sqlite://app.db 0001
  schemactl downgrade --url sqlite://app.db base
  schemactl downgrade --url sqlite://app.db --to 0001`,
		// "-1" is a target, not a flag, so this command parses its own flags.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, err := parseDowngradeArgs(cmd, args, &to)
			if err != nil || target == "" {
				return err
			}
			s, err := o.start(cmd, "downgrade")
			if err != nil {
				return err
			}
			var e *engine.Engine
			res, err := func() (*executor.Result, error) {
				ctl, err := runControl(cmd.Context(), resumeDone, resumeRun, grace)
				ctl.Online = pf.online
				if err != nil {
					return nil, err
				}
				if e, err = db.open(cmd.Context()); err != nil {
					return nil, err
				}
				return e.Downgrade(cmd.Context(), engine.DowngradeOptions{
					To: target, DryRun: dryRun, AcceptEdited: acceptEdited, Observer: s.observer, Control: ctl, Preflight: pf.options(),
				})
			}()
			if e != nil {
				defer e.Close()
			}
			var hint string
			if err == nil && len(res.Migrations) == 0 && plainNumber.MatchString(target) {
				hint = fmt.Sprintf("downgrade %s is the version %s, where the database is; one step back is downgrade -%s",
					target, versionName(res.To), strings.TrimLeft(target, "0"))
			}
			return s.finish(e, res, err, hint)
		},
	}
	db.register(cmd)
	cmd.Flags().StringVar(&to, "to", "", "the target, as after the flags: -N (write --to=-1), a version, or base")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the statements that would run; change nothing")
	registerAcceptEdited(cmd, &acceptEdited)
	resumeFlags(cmd, &resumeDone, &resumeRun, &grace)
	pf.register(cmd)
	o.register(cmd)
	return cmd
}

// registerAcceptEdited adds the flag that records reviewed edits of applied
// migrations.
func registerAcceptEdited(cmd *cobra.Command, versions *[]string) {
	cmd.Flags().StringSliceVar(versions, "accept-edited", nil,
		"VERSION[,VERSION]: after review, record the edited files of these applied migrations as what they are pinned to (once per database)")
}

// relativeTarget is a downgrade target such as -1 or -3.
var relativeTarget = regexp.MustCompile(`^-[0-9]+$`)

// plainNumber is a target such as 1, which names the version 0001 and may
// have been meant as -1.
var plainNumber = regexp.MustCompile(`^[0-9]+$`)

// parseDowngradeArgs separates the target (which may look like a flag) from
// the flags. It returns "" after printing help.
func parseDowngradeArgs(cmd *cobra.Command, args []string, to *string) (string, error) {
	var rest, targets []string
	for _, a := range args {
		switch {
		case a == "-h" || a == "--help":
			return "", cmd.Help()
		case relativeTarget.MatchString(a):
			targets = append(targets, a)
		default:
			rest = append(rest, a)
		}
	}
	if err := cmd.Flags().Parse(rest); err != nil {
		return "", err
	}
	if err := applyEnv(cmd); err != nil { // the root's hook ran before these flags were parsed
		return "", err
	}
	targets = append(targets, cmd.Flags().Args()...)
	if *to != "" {
		targets = append(targets, *to)
	}
	if len(targets) != 1 {
		return "", fmt.Errorf("downgrade needs exactly one target: -1, -N, a version such as 0003, or base (got %d)", len(targets))
	}
	return targets[0], nil
}

// progress prints the executor's events the way DESIGN §10 shows them.
func progress(w io.Writer) func(executor.Event) {
	return func(ev executor.Event) {
		switch ev := ev.(type) {
		case *executor.MigrationStart:
			verb := "Applying"
			if ev.Direction == executor.Down {
				verb = "Reverting"
			}
			fmt.Fprintf(w, "%s %s %s\n", verb, ev.Migration.Version, printable(ev.Migration.Name))
			if ev.Resume > 0 {
				fmt.Fprintf(w, "  (resuming: statements 1-%d ran in an earlier attempt)\n", ev.Resume)
			}
		case *executor.DoubtResolved:
			if ev.TookEffect {
				fmt.Fprintf(w, "Statement %d of %d of %s %s was running when an earlier run stopped: it took effect (%s); resuming after it.\n",
					ev.Index, ev.Total, ev.Migration.Version, printable(ev.Migration.Name), ev.Why)
			} else {
				fmt.Fprintf(w, "Statement %d of %d of %s %s was running when an earlier run stopped: it did not take effect (%s); running it again.\n",
					ev.Index, ev.Total, ev.Migration.Version, printable(ev.Migration.Name), ev.Why)
			}
		case *executor.StatementDone:
			fmt.Fprintf(w, "  -> %-64s %s\n", oneLine(ev.Stmt.SQL, 64)+";", ms(ev.Duration))
		case *executor.OnlineStatement:
			if ev.Online {
				fmt.Fprintf(w, "  statement %d of %d runs online through pt-online-schema-change (writes go on; they wait only for a short chunk of the copy or the swap)\n", ev.Index, ev.Total)
			} else if ev.Why != "" {
				fmt.Fprintf(w, "  statement %d of %d runs as written: %s\n", ev.Index, ev.Total, printable(ev.Why))
			}
		case *executor.OnlineProgress:
			fmt.Fprintf(w, "     %s\n", printable(ev.Text))
		case *executor.OnlineCleaned:
			for _, c := range ev.What {
				fmt.Fprintf(w, "Cleaning up after an interrupted pt-online-schema-change of %s: %s\n", ev.Migration.Version, printable(c))
			}
		case *executor.PreflightWarning:
			fmt.Fprintf(w, "Preflight warning: %s statement %d: %s\n", printable(ev.Migration.File), ev.Index, printable(ev.Problem))
			if ev.Sample != "" {
				fmt.Fprintf(w, "  e.g. %s\n", printable(ev.Sample))
			}
		case *executor.MigrationFailed:
			fmt.Fprintf(w, "  FAILED: %s %s\n", ev.Migration.Version, printable(ev.Migration.Name))
		case *executor.EditAccepted:
			fmt.Fprintf(w, "Accepted the edited %s: %s; %s is pinned to the file as it is now.\n",
				printable(ev.Edit.File), printable(ev.Edit.What), ev.Edit.Version)
		case *executor.VersionMoved:
			fmt.Fprintf(w, "Another schemactl moved the database from %s to %s while this one waited; carrying on from %s.\n",
				versionName(ev.Expected), versionName(ev.Found), versionName(ev.Found))
		}
	}
}

// summarize prints the closing line of an apply or downgrade.
func summarize(w io.Writer, res *executor.Result, e *engine.Engine) error {
	ms, err := e.Migrations()
	if err != nil {
		return err
	}
	head := ""
	if len(ms) > 0 {
		head = ms[len(ms)-1].Version
	}
	if err != nil {
		return err
	}
	at := versionName(res.To)
	if res.To == head && head != "" {
		at += " (head)"
	}
	n := len(res.Migrations)
	switch {
	case res.DryRun && n == 0 && res.Direction == executor.Down:
		fmt.Fprintf(w, "Database is at %s. Nothing to revert.\n", versionName(res.From))
	case res.DryRun && n == 0:
		fmt.Fprintf(w, "Database is at %s. Nothing to apply.\n", at)
	case res.DryRun:
		k := dryRunStatements(res)
		fmt.Fprintf(w, "Dry run: %d %s, %d %s would run; the database would be at %s; nothing was changed.\n",
			n, plural(n, "migration", "migrations"), k, plural(k, "statement", "statements"), at)
	case n == 0:
		fmt.Fprintf(w, "Database is at %s. Nothing to do.\n", at)
	default:
		fmt.Fprintf(w, "Database is at %s. %d %s, %d %s.\n", at, n, plural(n, "migration", "migrations"),
			res.Statements, plural(res.Statements, "statement", "statements"))
	}
	return nil
}

// oneLine collapses a statement's whitespace, escapes what is left that a
// terminal would not show as itself and, when max > 0, shortens it for a
// progress line.
func oneLine(sql string, max int) string {
	s := printable(strings.Join(strings.Fields(sql), " "))
	if max > 0 && len([]rune(s)) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return s
}

func ms(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// migrateOutput is how apply and downgrade print. Text: progress and the
// closing line on stdout. --format json: one document on stdout at the
// end, progress on stderr. --progress json: progress as JSON lines on
// stderr, whatever the format.
type migrateOutput struct {
	format   textOrJSON
	progress string
}

func (o *migrateOutput) register(cmd *cobra.Command) {
	o.format.register(cmd)
	cmd.Flags().StringVar(&o.progress, "progress", "text", "progress: text, or json (one event a line, on stderr)")
}

// migrateSession is one apply or downgrade being reported.
type migrateSession struct {
	cmd      *cobra.Command
	json     bool
	rec      *migrateRecorder
	observer func(executor.Event)
	note     func(string)
}

func (o *migrateOutput) start(cmd *cobra.Command, kind string) (*migrateSession, error) {
	asJSON, err := o.format.json(cmd)
	if err != nil {
		return nil, err
	}
	out, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	var (
		observe func(executor.Event)
		note    func(string)
	)
	switch o.progress {
	case "text":
		w := out
		if asJSON {
			w = errw
		}
		observe, note = progress(w), noteTo(errw)
	case "json":
		observe, note = jsonProgress(errw), jsonNote(errw)
	default:
		return nil, &inputError{fmt.Errorf("--progress %q: %s reports progress as text or json", o.progress, kind)}
	}
	s := &migrateSession{cmd: cmd, json: asJSON, rec: newMigrateRecorder(kind)}
	s.observer = func(ev executor.Event) { s.rec.observe(ev); observe(ev) }
	s.note = func(msg string) { s.rec.note(msg); note(msg) }
	return s, nil
}

// finish prints the outcome of a run that returned res and err (either
// may be nil; res says what ran even when err is set) and returns the
// error the process exits with. hint is a remark for a run that did
// nothing the user may not have meant.
func (s *migrateSession) finish(e *engine.Engine, res *executor.Result, err error, hint string) error {
	out := s.cmd.OutOrStdout()
	if s.json {
		if err != nil && e != nil {
			// The difference is for a human; the document keeps the error.
			err = refuseDrift(s.cmd.Context(), s.cmd.ErrOrStderr(), e, err)
		}
		if hint != "" {
			s.rec.note(hint)
		}
		msg := ""
		if err != nil {
			msg = flagAdvice(urlSource(s.cmd, err)).Error()
		}
		if werr := writeJSON(out, s.rec.finish(e, res, err, msg)); werr != nil {
			return errors.Join(err, werr)
		}
		return err
	}
	if err != nil {
		if e == nil {
			return err
		}
		return refuseDrift(s.cmd.Context(), out, e, err)
	}
	if res.DryRun {
		writeDryRun(out, res)
	}
	if err := summarize(out, res, e); err != nil {
		return err
	}
	if hint != "" {
		fmt.Fprintf(out, "(%s)\n", hint)
	}
	return nil
}
