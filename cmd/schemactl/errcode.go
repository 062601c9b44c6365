package main

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

// Error codes of the json documents (error_code): what kind of error ended
// the command, for scripts that must not parse messages. The README lists
// them; a code, once published, keeps its meaning.
const (
	codeError          = "error" // none of the below
	codeInput          = "input" // bad flags or arguments
	codeNoDatabase     = "no_database"
	codeURL            = "url"
	codeNoDir          = "no_dir"
	codeSchema         = "schema"      // the HCL has errors
	codeDestructive    = "destructive" // a plan refused for destructive changes
	codeNoMessage      = "no_message"  // a plan with changes and no -m
	codeChecksum       = "checksum"
	codeEdited         = "edited" // an applied migration's file differs from what ran
	codeUnknownVersion = "unknown_version"
	codePartial        = "partial"
	codeDrift          = "drift"
	codeLocked         = "locked"
	codeNewerFormat    = "newer_format"
	codeStatement      = "statement_failed"
	codeInDoubt        = "in_doubt"    // a statement an earlier run left in doubt needs --resume-done or --resume-rerun
	codeInterrupted    = "interrupted" // Ctrl-C or SIGTERM stopped the run
	codePreflight      = "preflight"   // the data would break the migration; nothing of it ran
	codeOnline         = "online"      // the online path cannot run a migration that asks for it; nothing of it ran
	codeFleet          = "fleet"       // a target of a fleet did not reach the target version
	codeSkipped        = "skipped"     // a target of a fleet was not started (policy, canary, interrupt)
)

// errorCode classifies err for the json documents.
func errorCode(err error) string {
	var (
		de  *executor.DriftError
		se  *executor.StmtError
		ue  *engine.URLError
		ske *engine.SchemaError
		dse *lint.DestructiveError
		ie  *executor.InterruptedError
		pe  *executor.PreflightError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, new(*fleetError)):
		return codeFleet
	case errors.Is(err, engine.ErrNoDatabase):
		return codeNoDatabase
	case errors.As(err, &ue):
		return codeURL
	case errors.Is(err, executor.ErrNoDir):
		return codeNoDir
	case errors.As(err, &ske):
		return codeSchema
	case errors.As(err, &dse):
		return codeDestructive
	case errors.Is(err, errNoMessage):
		return codeNoMessage
	case errors.Is(err, executor.ErrChecksum):
		return codeChecksum
	case errors.Is(err, executor.ErrEdited):
		return codeEdited
	case errors.Is(err, executor.ErrUnknownVersion):
		return codeUnknownVersion
	case errors.Is(err, executor.ErrPartial):
		return codePartial
	case errors.As(err, &de):
		return codeDrift
	case errors.Is(err, executor.ErrLocked):
		return codeLocked
	case errors.Is(err, executor.ErrNewerFormat):
		return codeNewerFormat
	case errors.Is(err, executor.ErrInDoubt):
		return codeInDoubt
	case errors.As(err, &pe):
		return codePreflight
	case errors.As(err, new(*executor.OnlineUnavailableError)):
		return codeOnline
	case errors.As(err, &ie):
		return codeInterrupted
	case errors.As(err, &se):
		return codeStatement
	case errors.Is(err, errInput):
		return codeInput
	}
	return codeError
}

// errInput marks errors in what the user typed: flags and arguments
// (inputError).
var errInput = errors.New("bad input")

// inputError is an error in the flags or arguments, as its message says.
type inputError struct{ err error }

func (e *inputError) Error() string        { return e.err.Error() }
func (e *inputError) Unwrap() error        { return e.err }
func (e *inputError) Is(target error) bool { return target == errInput }

// errNoMessage is a plan with changes but no -m.
var errNoMessage = errors.New(`the plan has changes: give the migration a message with -m "what it does" (or use --dry-run)`)

// errorDocument is what a command asked for json prints when it fails
// before it printed its own document: every exit the process controls
// gives one document on stdout.
type errorDocument struct {
	FormatVersion string `json:"format_version"`
	Kind          string `json:"kind"`
	Error         string `json:"error"`
	ErrorCode     string `json:"error_code"`
}

// wantsJSON reports whether cmd was asked for json output.
func wantsJSON(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("format")
	return f != nil && f.Value.String() == "json"
}

// writeErrorDocument writes the document of a command that failed with
// err; msg is the error as the user reads it.
func writeErrorDocument(w io.Writer, cmd *cobra.Command, msg string, err error) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(errorDocument{FormatVersion: report.JSONFormatVersion, Kind: cmd.Name(), Error: msg, ErrorCode: errorCode(err)})
}

// countingWriter counts what was written through it: a command that
// printed its document on failure needs no error document.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
