package lint_test

import (
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/planner/lint"
)

// The dialects never import lint, so the checks that they still provide
// what it asks for live here: a drifting signature fails the build instead
// of silently switching a check off.
var (
	_ lint.Dialect    = (*sqlite.Dialect)(nil)
	_ lint.Rebuilder  = (*sqlite.Dialect)(nil)
	_ lint.NullFiller = (*sqlite.Dialect)(nil)
	_ lint.Dialect    = (*mysql.Dialect)(nil)
	_ lint.Rebuilder  = (*mysql.Dialect)(nil)
	_ lint.NullFiller = (*mysql.Dialect)(nil)
)
