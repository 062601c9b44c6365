package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/internal/testdb"
)

// passwordCommands are every command that takes a database URL, with what
// else it needs. {url} is replaced by the URL under test and {dir} by a
// directory holding one migration and a schema.
var passwordCommands = [][]string{
	{"plan", "--url", "{url}", "--dir", "{dir}/migrations", "--schema", "{dir}/schema.hcl", "-m", "next"},
	{"plan", "--url", "{url}", "--dir", "{dir}/migrations", "--schema", "{dir}/schema.hcl", "--dry-run", "--format", "json"},
	{"plan", "--url", "sqlite://{dir}/app.db", "--dev-url", "{url}", "--dir", "{dir}/migrations", "--schema", "{dir}/schema.hcl", "--dry-run"},
	{"apply", "--url", "{url}", "--dir", "{dir}/migrations", "--lock-timeout", "1s"},
	{"apply", "--url", "{url}", "--dir", "{dir}/migrations", "--dry-run"},
	{"downgrade", "--url", "{url}", "--dir", "{dir}/migrations", "-1"},
	{"status", "--url", "{url}", "--dir", "{dir}/migrations"},
	{"history", "--url", "{url}", "--dir", "{dir}/migrations"},
	{"stamp", "--url", "{url}", "--dir", "{dir}/migrations", "0001"},
	{"inspect", "--url", "{url}", "--dir", "{dir}/migrations"},
	{"lint", "--dev-url", "{url}", "--dir", "{dir}/migrations"},
	{"validate", "--url", "{url}", "--schema", "{dir}/schema.hcl"},
}

const secret = "s3cr3t-Pw_9"

// TestPasswordNeverShown runs every command that takes a URL with a
// password in it, in the flag and in the environment, against a port where
// nothing listens and against the real server with a wrong password: the
// password must appear in no output and no error.
func TestPasswordNeverShown(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.hcl"), []byte("schema \"app\" {}\ntable \"t\" {\n  schema = schema.app\n  column \"id\" {\n    type = int\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sqliteSchema := filepath.Join(dir, "sqlite.hcl")
	if err := os.WriteFile(sqliteSchema, []byte("schema \"main\" {}\ntable \"t\" {\n  schema = schema.main\n  column \"id\" {\n    type = int\n  }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	schemactl(t, 0, "plan", "--url", "sqlite://"+filepath.Join(dir, "scratch.db"), "--dir", filepath.Join(dir, "migrations"), "--schema", sqliteSchema, "-m", "first")

	urls := map[string]string{
		"unreachable port":     "mysql://admin:" + secret + "@127.0.0.1:1/app",
		"escaped characters":   "mariadb://admin:" + secret + "%40%3A%2F@127.0.0.1:1/app",
		"unparsable port":      "mysql://admin:" + secret + "@127.0.0.1:port/app",
		"no database":          "mysql://admin:" + secret + "@127.0.0.1:1",
		"unknown scheme":       "postgres://admin:" + secret + "@127.0.0.1:1/app",
		"password with an at":  "mysql://admin:" + secret + "@x@127.0.0.1:1/app",
		"query string":         "mysql://admin:" + secret + "@127.0.0.1:1/app?password=" + secret,
		"bad escape in secret": "mysql://admin:" + secret + "%zz@127.0.0.1:1/app",
	}
	t.Run("real server, wrong password", func(t *testing.T) {
		u, _ := testdb.MySQL(t)
		wrong := *u
		wrong.User = nil
		urls := map[string]string{"wrong password": strings.Replace(wrong.String(), "mysql://", "mysql://root:"+secret+"@", 1)}
		checkPasswordHidden(t, dir, urls)
	})
	checkPasswordHidden(t, dir, urls)
}

func checkPasswordHidden(t *testing.T, dir string, urls map[string]string) {
	for name, url := range urls {
		for _, args := range passwordCommands {
			for _, viaEnv := range []bool{false, true} {
				full := make([]string, 0, len(args))
				for _, a := range args {
					a = strings.ReplaceAll(a, "{dir}", dir)
					if strings.Contains(a, "{url}") {
						if viaEnv && full[len(full)-1] == "--url" {
							full = full[:len(full)-1]
							continue
						}
						a = strings.ReplaceAll(a, "{url}", url)
					}
					full = append(full, a)
				}
				if viaEnv {
					t.Setenv("DATABASE_URL", url)
				} else {
					t.Setenv("DATABASE_URL", "")
				}
				var stdout, stderr bytes.Buffer
				code := run(context.Background(), full, &stdout, &stderr)
				out := stdout.String() + stderr.String()
				if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), strings.ToLower(secret)) {
					t.Errorf("%s: schemactl %s (env %v) shows the password (exit %d):\n%s", name, strings.Join(full, " "), viaEnv, code, out)
				}
			}
		}
	}
}
