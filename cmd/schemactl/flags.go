package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/schema"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// urlEnv is where a database URL comes from when --url is not given, in
// order: the one statement of the precedence of sources.
//
//  1. a flag given on the command line (--url, --dev-url, --dir, --schema);
//  2. under --env NAME, that env of the project file (applyEnv), and
//     nothing else: the variables below are not read, since DATABASE_URL
//     is often set in an application's shell and an explicit --env must
//     not be overridden by it;
//  3. without --env, these variables, in order.
//
// The project file is never read without --env: a bare command must not
// reach an env's database. The dev database has no fallback at all.
// Help, errors and docs/urls.md say it from here.
var urlEnv = []string{"SCHEMACTL_URL", "DATABASE_URL"}

// urlFlag is --url. Its default, the variables of urlEnv, is read when the
// command runs, never when the flags are built: --help prints a flag's
// default, and the URL in the environment holds a password. Help names
// the variables instead.
type urlFlag struct {
	values urlValues
	flags  *pflag.FlagSet
}

// urlValues is --url, which apply and status take more than once (a
// fleet); the other commands refuse a second one (applyEnv).
type urlValues []string

func (v *urlValues) String() string     { return strings.Join(*v, ",") }
func (v *urlValues) Set(s string) error { *v = append(*v, s); return nil }
func (v *urlValues) Type() string       { return "string" }

func (f *urlFlag) register(cmd *cobra.Command, usage string) {
	f.flags = cmd.Flags()
	if fleetCapable(cmd) {
		usage += "; repeat for a fleet"
	}
	f.flags.Var(&f.values, "url", usage+" (default: $"+strings.Join(urlEnv, ", then $")+")")
}

// get is --url as given (or set from --env), else the environment's.
func (f *urlFlag) get() string {
	if all := f.all(); len(all) > 0 {
		return all[len(all)-1]
	}
	return ""
}

// all is every --url given (or set from --env), else the environment's
// one.
func (f *urlFlag) all() []string {
	if f.flags != nil && f.flags.Changed("url") {
		return f.values
	}
	if f.flags != nil && envName(f.flags) != "" {
		return nil
	}
	if u, _ := envURL(); u != "" {
		return []string{u}
	}
	return nil
}

// envURL is what --url falls back to, and the variable that held it: the
// first of urlEnv that is set.
func envURL() (value, name string) {
	for _, name := range urlEnv {
		if u := os.Getenv(name); u != "" {
			return u, name
		}
	}
	return "", urlEnv[len(urlEnv)-1]
}

// noURLAdvice says how to give a database URL, in the order of urlEnv.
func noURLAdvice() string {
	return "pass --url, or set " + strings.Join(urlEnv, " or ")
}

// noDevURLAdvice says how to give a MySQL dev database. --url is never
// used in its place: replaying into the live server would create
// databases on production.
const noDevURLAdvice = "pass --dev-url mysql://user@host:3306/ (a throwaway database is created and dropped there), " +
	"or --dev-url mysql://user@host:3306/NAME (NAME is created and dropped when missing; when it exists it must be empty, and is left empty)"

// dbFlags are the flags of every command that talks to a database through
// the migration directory.
type dbFlags struct {
	url          urlFlag
	dir          string
	versionTable string
	lockTimeout  time.Duration
}

func (f *dbFlags) register(cmd *cobra.Command) {
	f.url.register(cmd, "database URL")
	cmd.Flags().StringVar(&f.dir, "dir", "migrations", "migration directory")
	cmd.Flags().StringVar(&f.versionTable, "version-table", "schemactl_version", "name of the version table")
	cmd.Flags().DurationVar(&f.lockTimeout, "lock-timeout", engine.DefaultLockTimeout, "how long to wait for another schemactl holding the migration lock")
}

// target is the engine target the flags name.
func (f *dbFlags) target() engine.Target {
	return engine.Target{URL: f.url.get(), Dir: f.dir, VersionTable: f.versionTable, LockTimeout: f.lockTimeout}
}

// open connects to the database and opens the migration directory.
func (f *dbFlags) open(ctx context.Context) (*engine.Engine, error) {
	t := f.target()
	if t.URL == "" {
		return nil, engine.ErrNoDatabase
	}
	return engine.Open(ctx, t)
}

// dialectFlag is --dialect of the commands that read a migration directory
// without a database: the engine its hand-written files are written for,
// when no file records it (files plan writes do, in -- dialect:).
type dialectFlag struct{ value string }

func (f *dialectFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.value, "dialect", "", "sqlite or mysql: how to read migration files that do not record it (default: what the files record, else sqlite)")
}

func (f *dialectFlag) get() (schema.Dialect, error) {
	if f.value == "" {
		return "", nil
	}
	return engine.ParseDialect(f.value)
}

// schemaFlagHelp describes --schema, which plan and validate share; paths
// after the flags are schema paths too (--schema a.hcl b.hcl).
const schemaFlagHelp = "HCL schema file, or directory whose *.hcl files are read (not its subdirectories); repeat the flag, or list more paths after it"

// schemaVars are the values --var gives the schema's variable blocks (plan
// and validate): --var is one flag, the root's, which under --env feeds
// the project file's variables instead (applyEnv).
func schemaVars(cmd *cobra.Command) (map[string]string, error) {
	fl := cmd.Flags()
	if envName(fl) != "" {
		return nil, nil
	}
	raw, err := fl.GetStringArray("var")
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	vars := map[string]string{}
	for _, kv := range raw {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return nil, &inputError{fmt.Errorf("--var %q: want name=value", printable(kv))}
		}
		if _, dup := vars[name]; dup {
			return nil, &inputError{fmt.Errorf("--var %s is given twice", printable(name))}
		}
		vars[name] = value
	}
	return vars, nil
}
