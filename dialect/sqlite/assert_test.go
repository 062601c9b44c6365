package sqlite_test

import (
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner"
)

// The dialect is what the planner and the executor consume. They never
// import dialects, so the check lives here.
var (
	_ planner.Dialect = (*sqlite.Dialect)(nil)
	_ executor.Driver = (*sqlite.Dialect)(nil)
)
