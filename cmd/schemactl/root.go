package main

import (
	"io"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Output goes to the given writers so
// that tests and testscript runs see exactly what a user sees.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "schemactl",
		Short: "Declarative schema-as-code for SQLite and MySQL/MariaDB",
		Long: `schemactl keeps a database schema in HCL files. "plan" compares the live
database with the HCL and writes the difference as the next numbered migration
(up and down SQL) for review; "apply" runs pending migrations and records the
version reached in a version table.`,
		Example: `  schemactl plan  --url sqlite://app.db --schema schema.hcl -m "add users"
  schemactl apply --url sqlite://app.db
  schemactl downgrade --url sqlite://app.db -1`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &inputError{err} })
	root.AddCommand(
		newPlanCmd(),
		newLintCmd(),
		newApplyCmd(),
		newDowngradeCmd(),
		newStatusCmd(),
		newHistoryCmd(),
		newStampCmd(),
		newHashCmd(),
		newInspectCmd(),
		newValidateCmd(),
		newFmtCmd(),
		newRevisionCmd(),
		newUpgradeCmd(),
		newCurrentCmd(),
		newDiffCmd(),
		newInitCmd(),
		newUnlockCmd(),
	)
	root.AddCommand(foreignCmds()...)
	return root
}
