package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/internal/testflag"
)

var update = testflag.Update

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"schemactl": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScript runs every CLI behaviour a user sees, one txtar per behaviour,
// from testdata/script.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Scripts must not pick up a developer's database.
			env.Setenv("SCHEMACTL_URL", "")
			env.Setenv("DATABASE_URL", "")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":     cmdExitCode,
			"sqlexec":      cmdSQLExec,
			"sqlquery":     cmdSQLQuery,
			"jsonshape":    cmdJSONShape,
			"genfile":      cmdGenFile,
			"workflowstep": cmdWorkflowStep,
		},
	})
}

// cmdExitCode runs a command and checks its exact exit code, which "! exec"
// cannot: exitcode 2 schemactl plan ...
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdGenFile writes a large generated file, which a txtar cannot hold:
// genfile NAME repeat PREFIX UNIT N SUFFIX writes PREFIX, UNIT N times and
// SUFFIX (\n in them is a newline); genfile NAME random N writes N bytes of a fixed pseudo-random
// sequence.
func cmdGenFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: genfile NAME repeat PREFIX UNIT N SUFFIX | genfile NAME random N")
	}
	var b []byte
	switch args[1] {
	case "repeat":
		if len(args) != 6 {
			ts.Fatalf("usage: genfile NAME repeat PREFIX UNIT N SUFFIX")
		}
		n, err := strconv.Atoi(args[4])
		ts.Check(err)
		nl := strings.NewReplacer(`\n`, "\n")
		b = []byte(nl.Replace(args[2]) + strings.Repeat(args[3], n) + nl.Replace(args[5]))
	case "random":
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		b = make([]byte, n)
		x := uint64(0x9e3779b97f4a7c15)
		for i := range b {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			b[i] = byte(x)
		}
	default:
		ts.Fatalf("genfile: unknown kind %q", args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// cmdSQLExec runs SQL on a SQLite file of the script's work directory:
// sqlexec app.db 'INSERT INTO hero ...'
func cmdSQLExec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlexec DB SQL")
	}
	db := openScriptDB(ts, args[0])
	defer db.Close()
	_, err := db.ExecContext(context.Background(), args[1])
	if neg {
		if err == nil {
			ts.Fatalf("sqlexec succeeded, want failure")
		}
		return
	}
	ts.Check(err)
}

// cmdSQLQuery prints the rows of a query to stdout, one row a line, values
// separated by "|", NULL as "NULL", so scripts can match them.
func cmdSQLQuery(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sqlquery DB SQL")
	}
	db := openScriptDB(ts, args[0])
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), args[1])
	ts.Check(err)
	defer rows.Close()
	cols, err := rows.Columns()
	ts.Check(err)
	var out strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		ts.Check(rows.Scan(ptrs...))
		for i, v := range vals {
			if i > 0 {
				out.WriteByte('|')
			}
			if v.Valid {
				out.WriteString(v.String)
			} else {
				out.WriteString("NULL")
			}
		}
		out.WriteByte('\n')
	}
	ts.Check(rows.Err())
	fmt.Fprint(ts.Stdout(), out.String())
}

// openScriptDB opens a SQLite file of the work directory, or the database
// of a mysql:// URL.
func openScriptDB(ts *testscript.TestScript, name string) *sql.DB {
	if strings.HasPrefix(name, "mysql://") {
		return openMySQLScriptDB(ts, name)
	}
	db, _, err := sqlite.Open(context.Background(), "sqlite://"+ts.MkAbs(name))
	ts.Check(err)
	return db
}

// cmdWorkflowStep writes the shell script of one step of the GitHub
// Actions example to a file, so that a script can run it as the runner
// would: workflowstep 'STEP NAME' FILE.
func cmdWorkflowStep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: workflowstep 'STEP NAME' FILE")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "github-actions", "schemactl.yml"))
	ts.Check(err)
	script, err := workflowStep(string(data), args[0])
	ts.Check(err)
	// As GitHub runs a step of shell bash: bash -eo pipefail.
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte("set -eo pipefail\n"+script), 0o755))
}

// workflowStep finds the step named name in a workflow and returns its run
// script, dedented. The workflow is ours: steps are "- name:" items with a
// "run: |" block.
func workflowStep(workflow, name string) (string, error) {
	lines := strings.Split(workflow, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "- name: "+name {
			start = i
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("no step %q in the workflow", name)
	}
	for i := start + 1; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(strings.TrimSpace(l), "- name:") {
			break
		}
		if strings.TrimSpace(l) != "run: |" {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		var b strings.Builder
		for _, body := range lines[i+1:] {
			if strings.TrimSpace(body) != "" && len(body)-len(strings.TrimLeft(body, " ")) <= indent {
				break
			}
			b.WriteString(strings.TrimPrefix(body, strings.Repeat(" ", indent+2)) + "\n")
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("step %q has no run block", name)
}
