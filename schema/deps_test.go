package schema

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the model free of third-party packages:
// every package that imports schema (the dialects, the planner, the
// executor) would pull them in too. It asks the go command for the
// package's dependencies, as `go list -deps ./schema` prints them.
func TestStandardLibraryOnly(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies (go test puts it on PATH): %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const self = "github.com/schemactl/schemactl/schema"
	for _, pkg := range strings.Fields(string(out)) {
		if pkg != self {
			t.Errorf("schema depends on %s; the model imports the standard library only", pkg)
		}
	}
}
