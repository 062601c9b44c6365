package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/schemactl/schemactl/internal/testdb"
)

// TestHelpExamples runs every example of every command's --help, in a
// directory made from testdata/helpsandbox, and requires it to succeed
// (plan and diff --exit-code: exit 2, the sandbox having changes): an example a user
// copies must work. An example that runs apply starts from a database at
// 0002, so that there is something to apply; every other from one at the
// head. Examples with a MySQL URL use the MySQL migration directory and
// need the server.
func TestHelpExamples(t *testing.T) {
	root := newRootCmd(new(bytes.Buffer), new(bytes.Buffer))
	var examples []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "schemactl ") {
				examples = append(examples, line)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if len(examples) < 20 {
		t.Fatalf("found %d examples; the walk is broken", len(examples))
	}
	sandbox, err := filepath.Abs(filepath.Join("testdata", "helpsandbox"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples {
		t.Run(ex, func(t *testing.T) {
			line, _, _ := strings.Cut(ex, "#") // a comment
			line, redirect, _ := strings.Cut(line, ">")
			args := shellWords(strings.TrimSpace(line))[1:]
			mysql := strings.Contains(line, "mysql://")
			if mysql {
				testdb.MySQL(t) // skips loudly, or fails under CI, without a server
			}
			dir := t.TempDir()
			copyDir(t, sandbox, dir)
			t.Chdir(dir)
			t.Setenv("SCHEMACTL_URL", "sqlite://app.db")
			if mysql {
				t.Setenv("SCHEMACTL_URL", "")
				if err := os.RemoveAll("migrations"); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename("mysql", "migrations"); err != nil {
					t.Fatal(err)
				}
			}
			must := func(args ...string) {
				var out, errb bytes.Buffer
				if code := run(context.Background(), args, &out, &errb); code != 0 {
					t.Fatalf("setup %q: exit %d\n%s%s", args, code, out.String(), errb.String())
				}
			}
			must("hash", "--dir", "migrations")
			must("fmt", "schema")
			if !mysql {
				to := "head"
				if args[0] == "apply" || args[0] == "upgrade" {
					to = "0002"
				}
				must("apply", "--to", to)
			}
			if strings.Contains(line, "--base") {
				git(t, "init", "-q", "-b", "main", ".")
				git(t, "add", "-A")
				git(t, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
				git(t, "update-ref", "refs/remotes/origin/main", "HEAD")
			}
			want := 0
			if (args[0] == "plan" || args[0] == "diff") && strings.Contains(line, "--exit-code") {
				want = 2 // the sandbox's schema has changes to plan
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, &out, &errb); code != want {
				t.Fatalf("exit %d, want %d\n%s%s", code, want, out.String(), errb.String())
			}
			if r := strings.TrimSpace(redirect); r != "" {
				if err := os.WriteFile(r, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func git(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
