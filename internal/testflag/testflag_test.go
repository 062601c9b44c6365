package testflag

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const importPath = "github.com/schemactl/schemactl/internal/testflag"

// TestEveryTestPackageImportsTestflag: go test ./... -update fails in any
// test binary that does not define -update, so every directory with tests
// must import this package from one of its test files.
func TestEveryTestPackageImportsTestflag(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	tested := map[string]bool{} // directory → imports golden
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		tested[dir] = tested[dir] || dir == filepath.Join(root, "internal", "testflag")
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == importPath {
				tested[dir] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tested) < 10 {
		t.Fatalf("found tests in only %d directories under %s", len(tested), root)
	}
	for dir, ok := range tested {
		if !ok {
			rel, _ := filepath.Rel(root, dir)
			t.Errorf("%s has tests but none imports %s: go test ./... -update would fail there", rel, importPath)
		}
	}
}
