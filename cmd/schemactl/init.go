package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/schemactl/schemactl/internal/project"
	"github.com/spf13/cobra"
)

// starterProject is what init writes: a local env that works as is and a
// prod env that reads its URL from the environment, so that no password
// is written into a file that is committed.
const starterProject = `# schemactl project file (docs/project.md). An env is used only when named:
#   schemactl plan --env local -m "add users"
#   schemactl apply --env local
# Flags given on the command line win over the env's values.

env "local" {
  url = "sqlite://app.db"
  src = ["schema.hcl"]
  migration {
    dir = "migrations"
  }
}

env "prod" {
  url = getenv("SCHEMACTL_PROD_URL")
  src = ["schema.hcl"]
  migration {
    dir = "migrations"
  }
}
`

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Write a starter " + project.FileName + " in the current directory",
		Long: `init writes a starter project file, ` + project.FileName + `, with a "local" env on
SQLite and a "prod" env whose URL is read from $SCHEMACTL_PROD_URL. It refuses
to overwrite an existing file. Commands read the file only when given --env.`,
		Example: `  schemactl init`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := os.OpenFile(project.FileName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, os.ErrExist) {
				return &inputError{fmt.Errorf("%s exists: init never overwrites it", project.FileName)}
			}
			if err != nil {
				return err
			}
			if _, err := f.WriteString(starterProject); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s with envs local and prod; run: schemactl plan --env local -m \"first\"\n", project.FileName)
			if _, err := os.Stat(project.AtlasFileName); err == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: %s is not read while %s exists\n", project.AtlasFileName, project.FileName)
			}
			return nil
		},
	}
}
