package executor

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrLocked is wrapped by errors returned when another process holds the
	// migration lock past the lock timeout.
	ErrLocked = errors.New("another migration run holds the lock")
	// ErrChecksum is wrapped by every *ChecksumError.
	ErrChecksum = errors.New("checksum mismatch")
	// ErrUnknownVersion is wrapped when the database is at a version the
	// migration directory does not have (an old checkout, another branch).
	ErrUnknownVersion = errors.New("version not in the migration directory")
	// ErrNoDir is wrapped when a migration directory that does not exist
	// is read: a misspelled path must not read as "no migrations".
	ErrNoDir = errors.New("no migration directory")
	// ErrPartial is wrapped when a migration on an engine without
	// transactional DDL stopped half way, and the requested operation is not
	// the one that would finish it.
	ErrPartial = errors.New("a migration is partly applied")
)

// ParseError is a malformed migration file or directory.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the problem is the file as a whole
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ChecksumError reports that the migration directory does not match
// schemactl.sum: a file was edited, added or removed by hand, or the sum file
// itself was edited.
type ChecksumError struct {
	File   string // the migration file at fault, or "schemactl.sum"
	Line   int    // the line of schemactl.sum that does not match; 0 if none
	Reason string
	Fix    string // what to do about it; "" when there is nothing to add
}

func (e *ChecksumError) Error() string {
	msg := fmt.Sprintf("%s: checksum mismatch: %s", e.File, e.Reason)
	if e.Line > 0 && e.File != SumFile {
		msg += fmt.Sprintf(" (%s line %d)", SumFile, e.Line)
	} else if e.Line > 0 {
		msg = fmt.Sprintf("%s:%d: checksum mismatch: %s", e.File, e.Line, e.Reason)
	}
	if e.Fix != "" {
		msg += ": " + e.Fix
	}
	return msg
}

// Is makes errors.Is(err, ErrChecksum) true.
func (e *ChecksumError) Is(target error) bool { return target == ErrChecksum }

// StmtError is a statement of a migration that failed.
type StmtError struct {
	File      string
	Version   string
	Direction Direction
	Index     int // 1-based
	Total     int // statements in the section
	Stmt      Statement
	Err       error
}

func (e *StmtError) Error() string {
	dir := ""
	if e.Direction == Down {
		dir = "down "
	}
	where := e.File
	if e.Stmt.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Stmt.Line)
	}
	return fmt.Sprintf("%s: %sstatement %d of %d: %v\n\t%s",
		where, dir, e.Index, e.Total, e.Err, strings.ReplaceAll(e.Stmt.SQL, "\n", "\n\t"))
}

func (e *StmtError) Unwrap() error { return e.Err }

// HistoryChangedError refuses to resume a partly applied migration whose
// already executed statements are no longer those in its file.
type HistoryChangedError struct {
	File  string
	Index int // 1-based statement that changed
	// InDoubt: the statement was running when a run stopped, and the
	// catalog cannot tell the old statement's effect from the new one's.
	InDoubt bool
}

// Is makes errors.Is(err, ErrInDoubt) true for a statement in doubt.
func (e *HistoryChangedError) Is(target error) bool { return e.InDoubt && target == ErrInDoubt }

func (e *HistoryChangedError) Error() string {
	if e.InDoubt {
		return fmt.Sprintf("%s: statement %d was running when an earlier run stopped, and changed since: restore it, or check the database and run the same command again with --resume-done if the old statement took effect, or with --resume-rerun to run the new one", e.File, e.Index)
	}
	return fmt.Sprintf("%s: statement %d changed after it was executed; restore it, or repair the database by hand and stamp", e.File, e.Index)
}

// ErrInterrupted is wrapped by every *InterruptedError.
var ErrInterrupted = errors.New("interrupted")

// InterruptedError is a run stopped by Executor.Interrupt between two
// statements: statements 1..Done of File stay applied and recorded (none,
// on an engine where the migration's transaction rolled back).
type InterruptedError struct {
	File       string
	Done       int
	Total      int
	RolledBack bool // the migration's transaction rolled back (SQLite)
	// Cause is the run's context's cause when it was cancelled between
	// statements, or the *StmtError of the statement it stopped.
	Cause error
}

func (e *InterruptedError) Error() string {
	var se *StmtError
	if errors.As(e.Cause, &se) {
		return fmt.Sprintf("interrupted after statement %d of %d of %s: statement %d was stopped (%v); run the same command again to resume",
			e.Done, e.Total, e.File, se.Index, se.Err)
	}
	if e.RolledBack {
		return fmt.Sprintf("interrupted after statement %d of %d of %s: its transaction rolled back, nothing of it stays", e.Done, e.Total, e.File)
	}
	return fmt.Sprintf("interrupted after statement %d of %d of %s: the run is recorded; run the same command again to resume", e.Done, e.Total, e.File)
}

// Is makes errors.Is(err, ErrInterrupted) true.
func (e *InterruptedError) Is(target error) bool { return target == ErrInterrupted }

func (e *InterruptedError) Unwrap() error { return e.Cause }
