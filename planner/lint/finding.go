package lint

import (
	"fmt"

	"github.com/schemactl/schemactl/schema"
)

// Finding codes. The destructive codes follow Atlas's analyzers (DS102,
// DS103), as do the data-dependent (MF101-MF104) and backward-incompatible
// (BC101, BC102) ones; DS104-DS107, MF105-MF108, BC103, RN101-RN102 and HZ101 are
// schemactl's own. A code never changes meaning once released: scripts and
// nolint directives depend on it.
const (
	// Destructive: data is lost or converted. Severity error; plan refuses
	// them without --allow-destructive.
	CodeDropTable     = "DS102"
	CodeDropColumn    = "DS103"
	CodeNarrowColumn  = "DS104"
	CodeEnumShrink    = "DS105"
	CodeCharsetChange = "DS106"
	CodeRebuildLoses  = "DS107"

	// Data-dependent: the change fails, or does something else, depending
	// on the rows already in the table. Severity warning.
	CodeUniqueIndex     = "MF101"
	CodeUniqueModified  = "MF102"
	CodeNotNullAdd      = "MF103"
	CodeNotNullModify   = "MF104"
	CodeForeignKeyAdded = "MF105"

	// Data-dependent in the down section: it cannot restore the previous
	// state once the tables have rows. Severity warning.
	CodeDownNotNull       = "MF106"
	CodeDownParentGone    = "MF107"
	CodeDownUniqueDefault = "MF108"

	// Backward-incompatible: applications using the old name break, or
	// views and triggers of the schema that read what the change drops or
	// renames.
	CodeRenameTable  = "BC101"
	CodeRenameColumn = "BC102"
	CodeReaderBreaks = "BC103"

	// Probable renames: a drop and an add that look like a rename without
	// a hint.
	CodeProbableTableRename  = "RN101"
	CodeProbableColumnRename = "RN102"

	// Engine hazards: the change copies the whole table.
	CodeTableCopy = "HZ101"

	// Directives: a nolint comment names a code that does not exist.
	CodeUnknownNolint = "NL101"

	// Online: a file marked -- schemactl:online holds a statement its
	// online path refuses, so apply stops before the migration starts.
	// Severity error.
	CodeOnlineRefused = "OL101"
)

// Codes are every finding code, in the order the README lists them. A nolint
// directive naming another code is reported (NL101): a typo would otherwise
// silence nothing without a word.
var Codes = []string{
	CodeDropTable, CodeDropColumn, CodeNarrowColumn, CodeEnumShrink, CodeCharsetChange, CodeRebuildLoses,
	CodeUniqueIndex, CodeUniqueModified, CodeNotNullAdd, CodeNotNullModify, CodeForeignKeyAdded,
	CodeRenameTable, CodeRenameColumn, CodeReaderBreaks,
	CodeProbableTableRename, CodeProbableColumnRename,
	CodeTableCopy, CodeUnknownNolint, CodeOnlineRefused,
}

// Severity says whether a finding stops a plan or a lint run.
type Severity string

const (
	// SeverityError: destructive; plan refuses it without
	// --allow-destructive and lint exits 1.
	SeverityError Severity = "error"
	// SeverityWarning: worth a look in review; nothing is refused.
	SeverityWarning Severity = "warning"
)

// Finding is one lint result: a change that can lose data, fail on existing
// rows, break applications or lock a large table.
type Finding struct {
	Code     string
	Severity Severity
	// Change is the change itself: a top-level change, or the change
	// inside a ModifyTable.
	Change schema.Change
	// Table is the table the change belongs to, by its name after the
	// change ("" for a schema change).
	Table string
	// Message names the object, e.g. `drop column "power" of table "hero"`.
	Message string
	// Fix suggests what to do instead, or how to go ahead safely.
	Fix string
	// File and Line are where the statement is, for findings of migration
	// files (File); empty for plans.
	File string
	Line int
	// Silenced is set when a nolint directive above the statement names
	// the finding's code (or none): it is reported as silenced, with the
	// directive's Reason, and stops nothing.
	Silenced bool
	Reason   string
}

// Destructive reports whether f has severity error: New refuses a plan
// with such a finding unless Options.AllowDestructive is set.
func (f Finding) Destructive() bool { return f.Severity == SeverityError }

// Fails reports whether f fails a lint run: a destructive finding that no
// directive silenced.
func (f Finding) Fails() bool { return f.Destructive() && !f.Silenced }

// Pos is where a finding of a migration file is, as "file:line", or
// "file" when the statement is not known; "" for a finding of a plan.
func (f Finding) Pos() string {
	switch {
	case f.File != "" && f.Line > 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	default:
		return f.File
	}
}
