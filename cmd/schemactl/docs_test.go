package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/schemactl/schemactl/dialect/sqlite"
)

// TestDocExamples runs the console examples of docs/ and compares what
// schemactl prints with what the page shows, so that the reference cannot
// drift from the binary. Each example has a fixture in testdata/docs: the
// files it starts from, and a header saying which example it is and how
// to get there:
//
//	doc docs/lint.md 1        the page and the example's number on it
//	run schemactl hash        a command to run first (exit 0)
//	sql app.db SQL            SQL to run on a SQLite file first
//	env NAME=VALUE            an environment variable for every command
//
// Timings and fingerprints are normalised (normalizeOutput).
func TestDocExamples(t *testing.T) {
	fixtures, err := filepath.Glob(filepath.Join("testdata", "docs", "*.txtar"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range fixtures {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range ar.Files {
				p := filepath.Join(dir, f.Name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var steps []consoleStep
			var setup [][]string
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				f := shellWords(strings.TrimSpace(line))
				if len(f) == 0 || strings.HasPrefix(f[0], "#") {
					continue
				}
				switch f[0] {
				case "doc":
					n, _ := strconv.Atoi(f[2])
					page, err := os.ReadFile(filepath.Join("..", "..", f[1]))
					if err != nil {
						t.Fatal(err)
					}
					steps = nthConsoleBlock(t, string(page), n)
				case "run", "sql":
					setup = append(setup, f)
				case "env":
					k, v, _ := strings.Cut(f[1], "=")
					t.Setenv(k, v)
				default:
					t.Fatalf("%s: unknown header line %q", path, line)
				}
			}
			t.Chdir(dir)
			for _, s := range setup {
				if s[0] == "sql" {
					db, _, err := sqlite.Open(context.Background(), sqlite.FileURL(s[1]))
					if err != nil {
						t.Fatal(err)
					}
					if _, err := db.Exec(s[2]); err != nil {
						t.Fatalf("sql %s: %v", s[2], err)
					}
					db.Close()
					continue
				}
				var out, errb bytes.Buffer
				if code := run(context.Background(), s[2:], &out, &errb); code != 0 {
					t.Fatalf("%q: exit %d\n%s%s", s[1:], code, out.String(), errb.String())
				}
			}
			for _, st := range steps {
				if st.args[0] != "schemactl" {
					t.Fatalf("the example runs %q", st.args[0])
				}
				var out, errb bytes.Buffer
				run(context.Background(), st.args[1:], &out, &errb)
				got := out.String() + errb.String()
				if g, w := normalizeOutput(got), normalizeOutput(st.want); g != w {
					t.Errorf("$ %s\nthe page shows:\n%s\nschemactl prints:\n%s", strings.Join(st.args, " "), w, g)
				}
			}
		})
	}
}

// nthConsoleBlock reads the n-th code block of a page (from 1) that holds
// "$ " command lines.
func nthConsoleBlock(t *testing.T, page string, n int) []consoleStep {
	t.Helper()
	blocks := strings.Split(page, "```")
	seen := 0
	for i := 1; i < len(blocks); i += 2 {
		b := strings.TrimPrefix(blocks[i], "\n")
		if !strings.HasPrefix(b, "$ ") {
			continue
		}
		if seen++; seen == n {
			return consoleSteps(t, "x\n```\n"+b+"```\n", "x")
		}
	}
	t.Fatalf("no console example %d", n)
	return nil
}
