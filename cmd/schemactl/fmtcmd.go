package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/schema/schemahcl"
	"github.com/spf13/cobra"
)

func newFmtCmd() *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite HCL schema files in canonical form",
		Long: `Fmt rewrites schema files canonically (attribute order, quoting, spacing),
keeping comments, and prints the name of each file it changed. Without
arguments it formats the *.hcl files of the current directory. Running it twice
changes nothing. With --check it writes nothing and exits 1 when a file would
change, for CI.`,
		Example: `  schemactl fmt
  schemactl fmt --check schema/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			files, err := hclFiles(args)
			if err != nil {
				return err
			}
			var changed []string
			var diags hcl.Diagnostics
			for _, name := range files {
				src, err := schemahcl.ReadSource(name)
				if err != nil {
					return err
				}
				out, d := schemahcl.Format(name, src)
				if d.HasErrors() {
					diags = append(diags, d...)
					continue
				}
				if bytes.Equal(out, src) {
					continue
				}
				changed = append(changed, name)
				if !check {
					if err := writeFileKeepMode(name, out); err != nil {
						return err
					}
				}
			}
			if diags.HasErrors() {
				if err := schemahcl.WriteDiagnostics(cmd.ErrOrStderr(), formatFiles(files), diags); err != nil {
					return err
				}
				return &reportedError{err: fmt.Errorf("%s", countErrors(diags))}
			}
			for _, name := range changed {
				fmt.Fprintln(cmd.OutOrStdout(), name)
			}
			if check && len(changed) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d %s not formatted; run schemactl fmt\n", len(changed), plural(len(changed), "file is", "files are"))
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "write nothing; exit 1 when a file is not formatted")
	return cmd
}

// formatFiles parses files only so that diagnostics can show source lines.
func formatFiles(names []string) schemahcl.Files {
	files := schemahcl.Files{}
	for _, name := range names {
		src, err := schemahcl.ReadSource(name)
		if err != nil {
			continue
		}
		files[name] = &hcl.File{Bytes: src}
	}
	return files
}

func writeFileKeepMode(name string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	tmp := name + ".schemactl-tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
