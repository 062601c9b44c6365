package engine

import (
	"errors"

	"github.com/schemactl/schemactl/executor"
)

// openDir opens the target's migration directory, read with its engine's
// SQL rules.
func (e *Engine) openDir() (*executor.Dir, error) {
	if e.t.FS != nil {
		return nil, errors.New("engine: embedded directories are not supported yet")
	}
	d, err := executor.OpenDir(e.DirPath())
	if err != nil {
		return nil, err
	}
	d.Lexer = e.dialect()
	return d, nil
}
