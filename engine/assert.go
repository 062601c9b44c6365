package engine

import (
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
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

	// The executor's seams: migration files are read with the dialect's
	// lexer; the lock, statement classification and catalog pre-images
	// serve exact resume after an interruption.
	_ executor.LockAcquirer    = (*mysql.Dialect)(nil)
	_ executor.BusyReporter    = (*sqlite.Dialect)(nil)
	_ executor.ReadPreparer    = (*sqlite.Dialect)(nil)
	_ executor.LockBreaker     = (*mysql.Dialect)(nil)
	_ executor.Clusterer       = (*mysql.Dialect)(nil)
	_ clusterNoter             = (*mysql.Dialect)(nil)
	_ clusterChecker           = (*mysql.Dialect)(nil)
	_ executor.Classifier      = (*sqlite.Dialect)(nil)
	_ executor.Classifier      = (*mysql.Dialect)(nil)
	_ executor.PreImager       = (*sqlite.Dialect)(nil)
	_ executor.PreImager       = (*mysql.Dialect)(nil)
	_ executor.PostImager      = (*mysql.Dialect)(nil)
	_ executor.StatementErrors = (*mysql.Dialect)(nil)
	_ executor.TxChecker       = (*mysql.Dialect)(nil)
	_ executor.QueryKiller     = (*mysql.Dialect)(nil)
	_ executor.Preflighter     = (*mysql.Dialect)(nil)
)
