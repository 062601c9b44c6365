package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

func newUnlockCmd() *cobra.Command {
	var (
		db  dbFlags
		yes bool
	)
	cmd := &cobra.Command{
		Use:   "unlock --url URL [--yes]",
		Short: "Free the migration lock of a run that is gone",
		Long: `Unlock shows who holds the migration lock and, after you confirm, frees it:
on MySQL/MariaDB it ends the holder's session (KILL), on a Galera cluster it
clears the lease. Use it when the process of a run is gone but its lock
stays (a session the server has not closed yet, or a lease that has not
expired); a run whose lock is taken from it stops at its next bookkeeping
write. The confirmation names one holder: if another has taken the lock
meanwhile, nothing is freed. SQLite has nothing to unlock: its lock is the
run's write transaction, which ends with the process.`,
		Example: `  schemactl unlock --url mysql://root@localhost:3306/test
  schemactl unlock --url mysql://root@localhost:3306/test --yes   # in a script`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := db.open(cmd.Context())
			if err != nil {
				return err
			}
			defer e.Close()
			out := cmd.OutOrStdout()
			h, held, err := e.LockHolder(cmd.Context())
			switch {
			case errors.Is(err, executor.ErrNoLockHolder):
				fmt.Fprintf(out, "Nothing to unlock at %s: %v.\n", e.Where(), err)
				return nil
			case err != nil:
				return err
			case !held:
				fmt.Fprintf(out, "Nobody holds the migration lock of %s.\n", e.Where())
				return nil
			}
			fmt.Fprintf(out, "The migration lock of %s is held by %s.\n", e.Where(), describeHolder(h))
			if !yes {
				fmt.Fprint(out, "Free it? [y/N] ")
				answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					return &inputError{errors.New("not confirmed: nothing was changed (answer y, or pass --yes)")}
				}
			}
			if err := e.Unlock(cmd.Context(), h); err != nil {
				return err
			}
			fmt.Fprintln(out, "Freed.")
			return nil
		},
	}
	db.register(cmd)
	cmd.Flags().BoolVar(&yes, "yes", false, "free it without asking")
	return cmd
}

// describeHolder says who holds the lock, from what the engine knows.
func describeHolder(h executor.LockHolder) string {
	parts := []string{"session " + printable(h.Session)}
	if h.User != "" || h.Host != "" {
		parts = append(parts, printable(h.User)+"@"+printable(h.Host))
	}
	if !h.Since.IsZero() {
		parts = append(parts, "since "+h.Since.UTC().Format(time.RFC3339))
	}
	if h.Command != "" {
		parts = append(parts, printable(h.Command))
	}
	if h.Running > 0 {
		parts = append(parts, "for "+h.Running.String())
	}
	return strings.Join(parts, ", ")
}
