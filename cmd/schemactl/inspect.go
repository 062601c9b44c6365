package main

import (
	"fmt"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
	"github.com/spf13/cobra"
)

func newInspectCmd() *cobra.Command {
	var (
		url          urlFlag
		versionTable string
		format       string
	)
	cmd := &cobra.Command{
		Use:   "inspect --url URL [--format hcl|json|sql]",
		Short: "Print the live schema as HCL (or JSON, or SQL)",
		Long: `Inspect reads the database at --url and prints its schema as HCL that plan
accepts: planning that HCL against the same database gives "No changes.".
--format json prints the tables as one JSON document; --format sql prints
the CREATE statements that build the schema in an empty database (as
"schemactl diff" would from an empty schema).

The version tables of schemactl are left out, and so is Alembic's
alembic_version (a note on stderr says so). Views, triggers and routines are
not part of the language; they are listed on stderr, never dropped.`,
		Example: `  schemactl inspect --url sqlite://app.db > schema.hcl
  schemactl inspect --url sqlite://app.db --format sql`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "hcl", "json", "sql":
			default:
				return &inputError{fmt.Errorf("--format %q: inspect writes hcl, json or sql", format)}
			}
			t := engine.Target{URL: url.get(), VersionTable: versionTable}
			if t.URL == "" {
				return engine.ErrNoDatabase
			}
			e, err := engine.Open(cmd.Context(), t)
			if err != nil {
				return err
			}
			defer e.Close()
			realm, foreign, err := e.InspectForeign(cmd.Context())
			if err != nil {
				return err
			}
			noteForeign(cmd.ErrOrStderr(), foreign)
			noteUnmanaged(cmd.ErrOrStderr(), realm)
			switch format {
			case "json":
				return writeJSON(cmd.OutOrStdout(), inspectDocument(e.Where(), e.Dialect(), realm))
			case "sql":
				p, err := e.DiffPlan(emptyLike(realm), realm)
				if err != nil {
					return err
				}
				writeDiffSQL(cmd.OutOrStdout(), p.Up)
				return nil
			}
			src, err := schemahcl.Encode(realm, e.HCLDialect())
			if err != nil {
				return fmt.Errorf("encode %s: %w", e.Where(), err)
			}
			_, err = cmd.OutOrStdout().Write(src)
			return err
		},
	}
	url.register(cmd, "database URL")
	cmd.Flags().StringVar(&versionTable, "version-table", "schemactl_version", "name of the version table, which is left out")
	cmd.Flags().StringVar(&format, "format", "hcl", "output format: hcl, json or sql")
	// Accepted and ignored, so that scripts passing the flags every
	// command shared keep working; hidden, since inspect reads no
	// directory and takes no lock.
	var ignored struct {
		dir  string
		wait time.Duration
	}
	cmd.Flags().StringVar(&ignored.dir, "dir", "migrations", "ignored: inspect reads no migration directory")
	cmd.Flags().DurationVar(&ignored.wait, "lock-timeout", 0, "ignored: inspect takes no lock")
	_ = cmd.Flags().MarkHidden("dir")
	_ = cmd.Flags().MarkHidden("lock-timeout")
	return cmd
}

// emptyLike is r's schemas without their tables and objects: what the
// CREATE statements of --format sql start from.
func emptyLike(r *schema.Realm) *schema.Realm {
	out := &schema.Realm{}
	for _, s := range r.Schemas {
		out.Schemas = append(out.Schemas, &schema.Schema{Name: s.Name, Charset: s.Charset, Collate: s.Collate, Comment: s.Comment})
	}
	return out
}
