package project

// Every test binary defines -update, so that go test ./... -update runs;
// this package has no golden files of its own.
import _ "github.com/schemactl/schemactl/internal/testflag"
