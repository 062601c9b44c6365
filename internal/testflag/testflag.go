// Package testflag holds the -update flag of the project's tests, so that
// `go test ./... -update` rewrites every golden file and testscript
// expectation in one run. A test binary fails on a flag it does not define;
// every test package therefore imports this package, those with golden
// files to read Update, the others for the flag alone
// (TestEveryTestPackageImportsTestflag keeps it so).
package testflag

import "flag"

// Update is set by -update: tests rewrite their golden files under
// testdata/ (and testscripts their expectations) instead of comparing.
var Update = flag.Bool("update", false, "rewrite golden files and testscript expectations instead of comparing")
