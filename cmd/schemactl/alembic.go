package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

// The commands and hints for users coming from Alembic and Atlas: their
// verbs either exist here (revision, upgrade, current) or name the
// schemactl command that does the job.

func newRevisionCmd() *cobra.Command {
	var (
		dir     string
		message string
		dialect dialectFlag
		autogen bool
	)
	cmd := &cobra.Command{
		Use:   `revision -m "what it does" [--dir migrations] [--dialect sqlite|mysql]`,
		Short: "Write the next numbered migration, empty, to fill in by hand",
		Long: `Revision writes the next numbered migration with empty up and down sections
(as Alembic's "alembic revision" does) and updates schemactl.sum: the way to
write a data migration, or anything plan cannot derive from the HCL. Write
the SQL after "-- +up" (and its undoing after "-- +down"), then run
"schemactl hash" to accept the edit. Apply refuses the file while its up
section is empty.

The file records the engine it is written for when that is known: from
--dialect, else from what the directory's files record. For migrations
derived from the HCL (alembic revision --autogenerate), use plan.`,
		Example: `  schemactl revision -m "backfill names"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if autogen {
				return &inputError{errors.New(`revision --autogenerate: schemactl derives migrations from the HCL with plan: schemactl plan --schema schema.hcl -m "` + message + `"`)}
			}
			if strings.TrimSpace(message) == "" {
				return &inputError{errors.New(`revision needs a message: -m "what it does"`)}
			}
			d, err := dialect.get()
			if err != nil {
				return err
			}
			e, err := engine.Open(cmd.Context(), engine.Target{Dir: dir, Dialect: d})
			if err != nil {
				return err
			}
			md, err := e.Dir()
			if err != nil {
				return err
			}
			recorded, err := md.Dialect()
			if err != nil {
				return err
			}
			if d == "" && recorded == "" {
				// Nothing says which engine the file is for: write no
				// "-- dialect:" line rather than guess one.
				md.Lexer = unnamedLexer{md.Lexer}
			}
			m, err := md.Write(message, nil, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s: fill in its up and down sections, then run schemactl hash.\n", printable(dirJoin(dir, m.File)))
			return nil
		},
	}
	cmd.Flags().StringVarP(&message, "message", "m", "", "what the migration does (names the file)")
	cmd.Flags().StringVar(&dir, "dir", "migrations", "migration directory")
	dialect.register(cmd)
	cmd.Flags().BoolVar(&autogen, "autogenerate", false, "")
	_ = cmd.Flags().MarkHidden("autogenerate")
	return cmd
}

// unnamedLexer hides the dialect's name from executor.Dir, which records
// it in the files it writes: only the Scanner of the Lexer is promoted.
type unnamedLexer struct{ executor.Lexer }

func dirJoin(dir, file string) string {
	return strings.TrimSuffix(dir, "/") + "/" + file
}

func newCurrentCmd() *cobra.Command {
	var db dbFlags
	cmd := &cobra.Command{
		Use:   "current --url URL",
		Short: "Print the version the database is at, and nothing else",
		Long: `Current prints the version the database is at, alone on a line, for scripts
(as Alembic's "alembic current" is used). At base, before any migration, it
prints nothing on stdout and says so on stderr. status says more.`,
		Example: `  schemactl current --url sqlite://app.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer e.Close()
			v, err := e.Current(cmd.Context())
			if err != nil {
				return err
			}
			if v == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "(base: no migration applied)")
				return nil
			}
			fmt.Fprintln(cmd.OutOrStdout(), printable(v))
			return nil
		},
	}
	db.register(cmd)
	return cmd
}

// foreignVerbs are the first words of other tools' commands that schemactl
// spells differently, and what to say for each second word ("" is the
// verb alone or with a word not listed).
var foreignVerbs = map[string]map[string]string{
	"migrate": { // atlas migrate …, and Django's/Laravel's migrate
		"":        "schemactl apply runs pending migrations",
		"apply":   "atlas migrate apply is schemactl apply",
		"diff":    "atlas migrate diff is schemactl plan --schema schema.hcl -m NAME",
		"status":  "atlas migrate status is schemactl status",
		"hash":    "atlas migrate hash is schemactl hash",
		"lint":    "atlas migrate lint is schemactl lint",
		"new":     "atlas migrate new is schemactl revision -m NAME",
		"down":    "atlas migrate down is schemactl downgrade -1",
		"set":     "atlas migrate set is schemactl stamp VERSION",
		"inspect": "schemactl inspect prints the live schema",
	},
	"schema": { // atlas schema …
		"":        "schemactl works on a migration directory: plan writes a migration, apply runs it",
		"apply":   "atlas schema apply is schemactl plan (writes the migration for review), then schemactl apply",
		"inspect": "atlas schema inspect is schemactl inspect",
		"diff":    "atlas schema diff is schemactl diff --from A --to B",
		"fmt":     "atlas schema fmt is schemactl fmt",
	},
	"heads":          {"": "alembic heads is the head line of schemactl status"},
	"check":          {"": "alembic check is schemactl plan --exit-code (exit 2 when the HCL and the database differ)"},
	"makemigrations": {"": "schemactl plan --schema schema.hcl -m NAME writes the next migration"},
}

// foreignCmds are hidden commands for foreignVerbs: each refuses with the
// schemactl command to use, so that "schemactl migrate diff" says plan
// instead of "unknown command".
func foreignCmds() []*cobra.Command {
	var cmds []*cobra.Command
	for verb, hints := range foreignVerbs {
		hints := hints
		cmds = append(cmds, &cobra.Command{
			Use:                verb,
			Hidden:             true,
			DisableFlagParsing: true,
			RunE: func(cmd *cobra.Command, args []string) error {
				said := cmd.Name()
				hint, ok := "", false
				if len(args) > 0 {
					hint, ok = hints[args[0]]
					if ok {
						said += " " + args[0]
					}
				}
				if !ok {
					hint = hints[""]
				}
				return &inputError{fmt.Errorf("schemactl has no %q command: %s (see schemactl --help, and docs/alembic.md)", said, hint)}
			},
		})
	}
	return cmds
}
