package main

import (
	"fmt"

	"github.com/schemactl/schemactl/schema/schemahcl"
	"github.com/spf13/cobra"
)

func newInspectCmd() *cobra.Command {
	var db dbFlags
	cmd := &cobra.Command{
		Use:   "inspect --url URL",
		Short: "Print the live schema as HCL",
		Long: `Inspect reads the database at --url and prints its schema as HCL that plan
accepts: planning that HCL against the same database gives "No changes.".
The version tables of schemactl are left out. Views, triggers and routines are
not part of the language; they are listed on stderr, never dropped.`,
		Example: `  schemactl inspect --url sqlite://app.db > schema.hcl`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer e.Close()
			realm, err := e.Inspect(cmd.Context())
			if err != nil {
				return err
			}
			noteUnmanaged(cmd.ErrOrStderr(), realm)
			src, err := schemahcl.Encode(realm, e.HCLDialect())
			if err != nil {
				return fmt.Errorf("encode %s: %w", e.Where(), err)
			}
			_, err = cmd.OutOrStdout().Write(src)
			return err
		},
	}
	db.register(cmd)
	return cmd
}
