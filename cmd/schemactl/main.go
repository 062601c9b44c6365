// Command schemactl is declarative schema-as-code for SQLite and
// MySQL/MariaDB: HCL table definitions in, reviewed numbered migrations out.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

// memoryLimit is the soft limit of the Go heap unless GOMEMLIMIT says
// otherwise. Planning 10,000 tables holds about 320 MB at its peak, and the
// collector would let the heap grow to twice that before collecting; under
// the limit it collects sooner, for about 15% more CPU time, and the whole
// process stays under 500 MB. A schema that needs more than the limit still
// plans: the collector then runs more often, never more than half the time.
const memoryLimit = 400 << 20

func main() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := watchSignals(context.Background(), os.Stderr)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitError carries a specific exit code, such as 2 for "plan has changes"
// under --exit-code. Its message, if any, has already been printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// reportedError marks an error whose details (HCL diagnostics) were already
// written to stderr; only the exit code is left to set.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

// run executes the command line and returns the process exit code: 0 on
// success, 1 on any error, 2 for a plan with changes under --exit-code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// A bug must not reach a user as a goroutine dump: say what
		// happened in one line, keep the stack for a report.
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "Error: internal error: %v\nThis is a bug in schemactl; please report it with the command and the stack below.\n%s", v, debug.Stack())
			code = 1
		}
	}()
	out := &countingWriter{w: stdout}
	root := newRootCmd(out, stderr)
	useProject(root)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	err = urlSource(cmd, err)
	if wantsJSON(cmd) && out.n == 0 {
		var ee *exitError
		if !errors.As(err, &ee) {
			writeErrorDocument(out, cmd, flagAdvice(err).Error(), err)
		}
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var re *reportedError
	if !errors.As(err, &re) {
		fmt.Fprintf(stderr, "Error: %s\n", printableLines(flagAdvice(err).Error()))
	}
	return 1
}

// urlSource says where a database URL that cannot be used came from when
// it was not --url: an environment variable the user may have forgotten.
func urlSource(cmd *cobra.Command, err error) error {
	if cmd == nil {
		return err
	}
	if env := envName(cmd.Flags()); env != "" && errors.Is(err, engine.ErrNoDatabase) && !cmd.Flags().Changed("url") {
		return &adviceError{msg: fmt.Sprintf("no database URL: env %q gives no url, or an empty one such as getenv of an unset variable (under --env, %s are not read); pass --url", env, strings.Join(urlEnv, " and ")), err: err}
	}
	var ue *engine.URLError
	if !errors.As(err, &ue) {
		return err
	}
	f := cmd.Flags().Lookup("url")
	if env := fromEnv(f); env != "" {
		return fmt.Errorf("env %q url: %w", env, err)
	}
	if f == nil || f.Changed {
		return err
	}
	_, name := envURL()
	return fmt.Errorf("$%s (no --url given): %w", name, err)
}

// adviceError is an error whose message already says which flag to pass.
type adviceError struct {
	msg string
	err error
}

func (e *adviceError) Error() string { return e.msg }
func (e *adviceError) Unwrap() error { return e.err }

// flagAdvice says which flag supplies what the engine found missing: the
// engine is also an API, and its errors name its Target's fields.
func flagAdvice(err error) error {
	var ae *adviceError
	switch {
	case errors.As(err, &ae):
		return errors.New(ae.msg)
	case errors.Is(err, engine.ErrNoDatabase):
		return errors.New("no database URL: " + noURLAdvice())
	case errors.Is(err, engine.ErrNoDevDatabase):
		return errors.New("no dev database: " + noDevURLAdvice)
	case errors.Is(err, executor.ErrNoDir):
		return fmt.Errorf("%w: pass --dir with the directory that holds the migrations (plan creates it with the first one)", err)
	}
	return err
}
