package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var (
		paths        []string
		dialect      string
		versionTable string
		dbURL        urlFlag
	)
	cmd := &cobra.Command{
		Use:   "validate --schema PATH [PATH...]",
		Short: "Check HCL schema files without a database",
		Long: `Validate decodes the schema files as plan would and reports every problem
at file:line:col with the source line, without touching a database. The dialect
decides which types and attributes are valid: --dialect, else the scheme of
--url / SCHEMACTL_URL / DATABASE_URL, else sqlite.`,
		Example: `  schemactl validate --schema schema.hcl
  schemactl validate --schema schema/ --dialect mysql`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			paths = append(paths, args...)
			d, database, err := chooseDialect(dialect, dbURL.get())
			if err != nil {
				return err
			}
			if len(paths) == 0 {
				return errNoSchema
			}
			vars, err := schemaVars(cmd)
			if err != nil {
				return err
			}
			realm, files, diags := schemahcl.LoadPaths(schemahcl.Options{Dialect: engine.HCLDialect(d), Database: database, OwnTables: engine.OwnTables(versionTable), ForeignTables: engine.ForeignTables(), Vars: vars}, paths...)
			if err := reportDiagnostics(cmd, paths, files, diags); err != nil {
				return err
			}
			n := 0
			for _, s := range realm.Schemas {
				n += len(s.Tables)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Valid: %d %s (%s).\n", n, plural(n, "table", "tables"), d)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&paths, "schema", nil, schemaFlagHelp)
	cmd.Flags().StringVar(&dialect, "dialect", "", "sqlite or mysql (default: from --url, else sqlite)")
	cmd.Flags().StringVar(&versionTable, "version-table", "schemactl_version", "name of the version table, which the schema may not declare")
	dbURL.register(cmd, "database URL, used only to choose the dialect")
	_ = cmd.MarkFlagRequired("schema")
	return cmd
}

// chooseDialect resolves the dialect for commands that need no connection.
func chooseDialect(flag, rawURL string) (schema.Dialect, string, error) {
	if flag != "" {
		d, err := engine.ParseDialect(flag)
		return d, "", err
	}
	if rawURL == "" {
		return schema.SQLite, "", nil
	}
	d, err := engine.URLDialect(rawURL)
	if err != nil {
		return "", "", err
	}
	database, err := engine.URLDatabase(rawURL)
	return d, database, err
}

var errNoSchema = errors.New("no schema: pass --schema FILE or --schema DIR")

// reportDiagnostics prints what decoding HCL reported, warnings too, on
// stderr. Errors come back as a reportedError, already printed.
func reportDiagnostics(cmd *cobra.Command, paths []string, files schemahcl.Files, diags hcl.Diagnostics) error {
	if len(diags) > 0 {
		if err := schemahcl.WriteDiagnostics(cmd.ErrOrStderr(), files, diags); err != nil {
			return err
		}
	}
	if diags.HasErrors() {
		return &reportedError{err: fmt.Errorf("%s in %s", countErrors(diags), strings.Join(paths, ", "))}
	}
	return nil
}

func countErrors(diags hcl.Diagnostics) string {
	n := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			n++
		}
	}
	return fmt.Sprintf("%d %s", n, plural(n, "error", "errors"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// hclFiles expands paths (files or directories) into the .hcl files they
// name, sorted within each directory.
func hclFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.hcl"))
		if err != nil {
			return nil, err
		}
		sort.Strings(matches)
		out = append(out, matches...)
	}
	return out, nil
}
