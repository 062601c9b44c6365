package engine

import (
	"fmt"

	"github.com/schemactl/schemactl/executor"
)

// openDir opens the target's migration directory and settles the engine
// its files are read with. Files that plan wrote record it (-- dialect:);
// it must be the engine of the database, or of Target.Dialect, when there
// is one. Without a database it is the directory's recorded engine, else
// Target.Dialect, else the scratch database's, else SQLite.
func (e *Engine) openDir(loc *location) (*executor.Dir, error) {
	var d *executor.Dir
	if e.t.FS != nil {
		d = executor.OpenFS(e.t.FS)
	} else {
		var err error
		if d, err = executor.OpenDir(e.DirPath()); err != nil {
			return nil, err
		}
	}
	name, err := d.Dialect()
	if err != nil {
		return nil, err
	}
	if name != "" {
		recorded, err := ParseDialect(name)
		if err != nil {
			return nil, fmt.Errorf("%s: the migrations record dialect %q: %w", e.DirPath(), name, err)
		}
		switch {
		case loc != nil && recorded != loc.dialect:
			return nil, fmt.Errorf("the migrations in %s are written for %s, but %s is a %s database", e.DirPath(), recorded, loc.display, loc.dialect)
		case e.t.Dialect != "" && recorded != e.t.Dialect:
			return nil, fmt.Errorf("the migrations in %s are written for %s, not %s", e.DirPath(), recorded, e.t.Dialect)
		}
		e.kind = recorded
	}
	return d, nil
}
