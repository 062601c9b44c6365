package testdb

import (
	"os"
	"os/exec"
	"testing"
)

// Tool skips the test, loudly, when the program name is not on $PATH, or
// fails it when CI=true: CI's set-up installs it, and must never pass by
// skipping. install says how to get it.
func Tool(t testing.TB, name, install string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI=true: .ci/run installs it (%s)", name, install)
		}
		t.Skipf("SKIPPED: %s is not installed (%s)", name, install)
	}
}
