package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRecoversPanics: a panic anywhere below run ends as one error line
// naming it a bug, and exit code 1. Here the panic comes from stdout, when
// validate reports success.
func TestRunRecoversPanics(t *testing.T) {
	file := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(file, []byte("schema \"main\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"validate", "--schema", file}, panicWriter{}, &stderr)
	if code != 1 || !strings.HasPrefix(stderr.String(), "Error: internal error: ") || !strings.Contains(stderr.String(), "This is a bug in schemactl") {
		t.Errorf("run = %d, stderr:\n%s", code, stderr.String())
	}
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("boom") }
