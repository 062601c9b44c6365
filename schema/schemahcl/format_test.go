package schemahcl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormatGolden formats each testdata/format/*.hcl, compares the result
// with its .golden file and checks that formatting it again changes
// nothing.
func TestFormatGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/format/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := Format(file, src)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			golden(t, strings.TrimSuffix(file, ".hcl")+".golden", out)
			again, diags := Format(file, out)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(string(out), string(again)); diff != "" {
				t.Errorf("Format is not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

// TestFormatIdempotent formats every HCL file under testdata twice, and
// checks that formatting never changes what a file means.
func TestFormatIdempotent(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		once, diags := Format(file, src)
		if diags.HasErrors() {
			continue // syntax error cases
		}
		twice, _ := Format(file, once)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: Format is not idempotent:\n%s", file, cmp.Diff(string(once), string(twice)))
		}
		opts := optionsFor(src)
		want, _, wantDiags := Parse(opts, Source{Filename: file, Bytes: src})
		got, _, gotDiags := Parse(opts, Source{Filename: file, Bytes: once})
		if len(wantDiags) != len(gotDiags) {
			t.Errorf("%s: %d diagnostics before formatting, %d after", file, len(wantDiags), len(gotDiags))
		}
		if diff := cmp.Diff(want, got, cmpModel...); diff != "" {
			t.Errorf("%s: formatting changed the model (-before +after):\n%s", file, diff)
		}
	}
}

func TestFormatSyntaxError(t *testing.T) {
	_, diags := Format("bad.hcl", []byte("table \"t\" {\n  x = \n}\n"))
	if !diags.HasErrors() {
		t.Fatal("no error for invalid syntax")
	}
	if s := diags[0].Subject; s == nil || s.Filename != "bad.hcl" || s.Start.Line != 2 {
		t.Errorf("subject = %v, want bad.hcl line 2", s)
	}
}
