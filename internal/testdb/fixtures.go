package testdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvFixtures names the variable that points tests at the shared
// real-world schemas when they are not in ../shared/fixtures beside the
// checkout.
const EnvFixtures = "SCHEMACTL_FIXTURES"

var noFixtures sync.Once

// Fixture returns the path of rel inside the shared real-world schemas:
// $SCHEMACTL_FIXTURES, else ../shared/fixtures beside the module's root.
// They are third-party files that the project does not hold, so a fresh
// clone has none: the test is then skipped with one loud line on stderr,
// and fails when CI=true, where skipping would let CI pass without them.
// A folder that is there but lacks rel fails the test.
func Fixture(t testing.TB, rel string) string {
	t.Helper()
	dir, err := fixturesDir()
	if err != nil {
		msg := fmt.Sprintf("the shared fixtures are not available: %v", err)
		if os.Getenv("CI") == "true" {
			t.Fatalf("testdb: %s (CI=true: fixture tests must not be skipped)", msg)
		}
		noFixtures.Do(func() {
			fmt.Fprintf(os.Stderr, "\n*** testdb: %s\n*** SKIPPING every fixture test. Put shared/ beside the checkout or set %s.\n\n", msg, EnvFixtures)
		})
		t.Skipf("SKIPPED: %s", msg)
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("testdb: fixture %s: %v", rel, err)
	}
	return path
}

func fixturesDir() (string, error) {
	dir := os.Getenv(EnvFixtures)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(filepath.Dir(root), "shared", "fixtures")
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	return dir, nil
}

// moduleRoot is the nearest directory at or above the working directory
// (a test's package directory) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
