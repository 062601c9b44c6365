package executor_test

import (
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/executor"
)

// Each seam a dialect implements, checked at compile time: a drifting
// signature fails the build instead of silently switching a feature off
// (an optional capability is found by type assertion at run time). The
// engine package is meant to hold these; Classifier joins them once the
// dialects implement it.
var (
	_ executor.Driver       = (*sqlite.Dialect)(nil)
	_ executor.Driver       = (*mysql.Dialect)(nil)
	_ executor.LockAcquirer = (*mysql.Dialect)(nil)
	_ executor.LockBreaker  = (*mysql.Dialect)(nil)
	_ executor.PreImager    = (*sqlite.Dialect)(nil)
	_ executor.PreImager    = (*mysql.Dialect)(nil)
)
