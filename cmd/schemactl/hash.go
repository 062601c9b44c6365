package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

func newHashCmd() *cobra.Command {
	var (
		dir     string
		dialect dialectFlag
	)
	cmd := &cobra.Command{
		Use:   "hash [--dir migrations]",
		Short: "Accept reviewed hand edits: rewrite schemactl.sum",
		Long: `Hash recomputes schemactl.sum from the migration files as they are now.
Apply and plan refuse a directory whose files no longer match the sum file, so
that an edited migration or two branches that both added the same number fail
loudly. After reviewing a deliberate edit (or resolving such a conflict by
renumbering), run hash to accept it. Every file must still parse.`,
		Example: `  schemactl hash --dir migrations`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := dialect.get()
			if err != nil {
				return err
			}
			e, err := engine.Open(cmd.Context(), engine.Target{Dir: dir, Dialect: d})
			if err != nil {
				return err
			}
			ms, err := e.Migrations()
			if err != nil && d == "" {
				return unmarkedHint(cmd.Context(), e, err)
			}
			if err != nil {
				return err
			}
			md, err := e.Dir()
			if err != nil {
				return err
			}
			sum := filepath.Join(dir, executor.SumFile)
			_, serr := os.Stat(sum)
			if len(ms) == 0 && errors.Is(serr, fs.ErrNotExist) {
				// WriteSum leaves a directory without migrations alone.
				fmt.Fprintf(cmd.OutOrStdout(), "No migrations in %s; nothing to hash.\n", dir)
				return nil
			}
			if err := md.WriteSum(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s for %d %s.\n", sum, len(ms), plural(len(ms), "migration", "migrations"))
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "migrations", "migration directory")
	dialect.register(cmd)
	return cmd
}
