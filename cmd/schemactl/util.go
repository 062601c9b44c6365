package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/schema"
)

// noteUnmanaged tells the user, on stderr, which objects schemactl reads but
// leaves alone, so that nothing is dropped or ignored silently.
func noteUnmanaged(w io.Writer, r *schema.Realm) {
	counts := map[string]int{}
	for _, s := range r.Schemas {
		for _, o := range s.Objects {
			counts[o.Kind]++
		}
		for _, t := range s.Tables {
			for _, o := range t.Triggers {
				counts[o.Kind]++
			}
		}
	}
	if len(counts) == 0 {
		return
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", counts[k], plural(counts[k], k, k+"s"))
	}
	fmt.Fprintf(w, "note: %s not managed by schemactl: left as they are (a table rebuild re-creates its triggers)\n", strings.Join(parts, ", "))
}

// noteTo prints the engine's remarks that are not errors on w (stderr).
func noteTo(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(w, "note: %s\n", msg) }
}

// unmarkedHint adds to an error reading a directory without a database or
// --dialect, whose files record no engine, that they read as MySQL: a
// MySQL string such as 'it\'s' is otherwise only "unterminated".
func unmarkedHint(ctx context.Context, e *engine.Engine, err error) error {
	var pe *executor.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	d, derr := e.Dir()
	if derr != nil || d.Path() == "" {
		return err
	}
	if name, derr := d.Dialect(); derr != nil || name != "" {
		return err
	}
	my, derr := engine.Open(ctx, engine.Target{Dir: d.Path(), Dialect: schema.MySQL})
	if derr != nil {
		return err
	}
	defer my.Close()
	if _, derr := my.Migrations(); derr != nil {
		return err
	}
	return fmt.Errorf("%w (no file records a -- dialect: line, so they were read as SQLite; they read as MySQL: pass --dialect mysql)", err)
}
