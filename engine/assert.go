package engine

import (
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
)

// Every capability a dialect provides, asserted where both are compiled
// into the binary. The consumers declare these interfaces and only ask,
// at run time, whether a dialect has one; a signature that drifted would
// silently switch a feature off. Here it fails the build.
var (
	_ dialect = (*sqlite.Dialect)(nil)
	_ dialect = (*mysql.Dialect)(nil)

	// Planner facts.
	_ planner.ForwardReferencer    = (*sqlite.Dialect)(nil)
	_ planner.ObjectRenamer        = (*sqlite.Dialect)(nil)
	_ planner.ForeignKeyTypePinner = (*mysql.Dialect)(nil)

	// Lint.
	_ lint.Rebuilder  = (*sqlite.Dialect)(nil)
	_ lint.NullFiller = (*sqlite.Dialect)(nil)
	_ lint.Rebuilder  = (*mysql.Dialect)(nil)
	_ lint.NullFiller = (*mysql.Dialect)(nil)
)
