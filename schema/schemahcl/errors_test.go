package schemahcl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/schemactl/schemactl/internal/testflag"
	"github.com/schemactl/schemactl/schema"
)

var update = testflag.Update

// optionsFor reads the "# dialect: mysql", "# database: name" and
// "# var: name=value" header lines of a test file.
func optionsFor(src []byte) Options {
	opts := Options{Dialect: dialectFor(schema.SQLite)}
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "# ") {
			break
		}
		if v, ok := strings.CutPrefix(line, "# dialect: "); ok {
			opts.Dialect = dialectFor(schema.Dialect(strings.TrimSpace(v)))
		}
		if v, ok := strings.CutPrefix(line, "# database: "); ok {
			opts.Database = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "# var: "); ok {
			name, value, _ := strings.Cut(strings.TrimSpace(v), "=")
			if opts.Vars == nil {
				opts.Vars = map[string]string{}
			}
			opts.Vars[name] = value
		}
	}
	return opts
}

// golden compares got with the file want, or rewrites it under -update.
func golden(t *testing.T, want string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(want, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(b), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", want, diff)
	}
}

// TestErrors decodes each testdata/errors/*.hcl and compares the printed
// diagnostics with its .golden file. Files named w*_ must produce warnings
// only; all others at least one error.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("only %d error cases", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(file)
			realm, files, diags := Parse(optionsFor(src), Source{Filename: name, Bytes: src})
			warnOnly := strings.HasPrefix(name, "w")
			switch {
			case warnOnly && (diags.HasErrors() || len(diags) == 0 || realm == nil):
				t.Errorf("want warnings only and a realm, got %d diagnostics (errors: %v)", len(diags), diags.HasErrors())
			case !warnOnly && (!diags.HasErrors() || realm != nil):
				t.Errorf("want errors and no realm")
			}
			var out bytes.Buffer
			if err := WriteDiagnostics(&out, files, diags); err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(file, ".hcl")+".golden", out.Bytes())
		})
	}
}
