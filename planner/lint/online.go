package lint

import (
	"fmt"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// OnlineDDL is implemented by dialects whose server carries out a table
// change by one of several algorithms (the online DDL of MySQL and
// MariaDB). A plan then says, for each changed table, which one and, for
// a copy, how long writes wait. The planned SQL does not change: it names
// no algorithm, so that it runs on any server.
type OnlineDDL interface {
	// AlterAlgorithm names the server, the algorithm (INSTANT, INPLACE or
	// COPY) of the ALTER TABLE of m, and whether writes wait for it.
	AlterAlgorithm(m *schema.ModifyTable) (server, algorithm string, blocksWrites bool)
	// CopyTime is a rough time to copy a table of the given size.
	CopyTime(rows, bytes int64) time.Duration
}

// TableSize is the server's estimate of a table's rows and data bytes.
type TableSize struct {
	Rows, Bytes int64
}

// Algorithm is how the server carries out the ALTER TABLE of one table.
type Algorithm struct {
	Table        string // the table's name after the change
	Server       string // e.g. "MariaDB 10.11.19"
	Algorithm    string // INSTANT, INPLACE or COPY
	BlocksWrites bool
	// Size is the current table's size; nil when it is not known.
	Size *TableSize
	// CopyTime is the rough time writes wait, for a blocking change of a
	// table of known size; zero otherwise.
	CopyTime time.Duration
}

// Summary is the line a plan prints under the table's changes, e.g.
// "MariaDB 10.11.19: COPY — copies 2,000,000 rows (~120 MB), blocks
// writes for ~7 s".
func (a Algorithm) Summary() string {
	s := fmt.Sprintf("%s: %s", a.Server, a.Algorithm)
	switch {
	case !a.BlocksWrites && a.Algorithm == "INPLACE":
		s += ", writes go on"
	case a.BlocksWrites && a.Size != nil:
		s += fmt.Sprintf(" — copies %s rows (~%s), blocks writes for %s", thousands(a.Size.Rows), megabytes(a.Size.Bytes), seconds(a.CopyTime))
	case a.BlocksWrites:
		s += " — copies the table, blocks writes until done"
	}
	return s
}

// algorithms asks d how each changed table is altered; sizes, when set,
// gives the current tables' sizes.
func algorithms(changes []schema.Change, d Dialect, sizes func(table string) (TableSize, bool)) []Algorithm {
	o, ok := d.(OnlineDDL)
	if !ok {
		return nil
	}
	var out []Algorithm
	for _, c := range changes {
		m, ok := c.(*schema.ModifyTable)
		if !ok || len(m.Changes) == 0 {
			continue
		}
		a := Algorithm{Table: m.To.Name}
		a.Server, a.Algorithm, a.BlocksWrites = o.AlterAlgorithm(m)
		if sizes != nil {
			if s, ok := sizes(m.From.Name); ok {
				a.Size = &s
				if a.BlocksWrites {
					a.CopyTime = o.CopyTime(s.Rows, s.Bytes)
				}
			}
		}
		out = append(out, a)
	}
	return out
}

func megabytes(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%d KB", (b+1023)>>10)
	}
	return fmt.Sprintf("%s MB", thousands((b+1<<19)>>20))
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return "under 1 s"
	}
	return fmt.Sprintf("~%s s", thousands(int64(d.Round(time.Second)/time.Second)))
}

// onlineNotes points, for each change that blocks writes for a second or
// more, to the way that does not: the file stays as planned (it must run
// on any server), and the reviewer opts in. A table the online path
// refuses (no key for the tool's triggers, triggers of its own) is told
// so instead: the note must not send the reviewer to a refusal.
func onlineNotes(as []Algorithm, changes []schema.Change) []string {
	from := map[string]*schema.Table{}
	for _, c := range changes {
		if m, ok := c.(*schema.ModifyTable); ok && m.From != nil && m.To != nil {
			from[m.To.Name] = m.From
		}
	}
	var out []string
	for _, a := range as {
		if !a.BlocksWrites || a.CopyTime < time.Second {
			continue
		}
		head := fmt.Sprintf("table %q: the server copies it, blocking writes for %s", a.Table, seconds(a.CopyTime))
		switch t := from[a.Table]; {
		case t != nil && !keyed(t):
			out = append(out, head+"; it has no primary or unique key, which the online path (pt-online-schema-change) needs: add one first, or apply it at a quiet time")
		case t != nil && len(t.Triggers) > 0:
			out = append(out, head+"; it has triggers of its own, which the online path (pt-online-schema-change) does not carry over: apply it at a quiet time")
		default:
			out = append(out, head+`; to keep writes going, add a line "-- schemactl:online" to the migration's header (pt-online-schema-change) and run schemactl hash, or apply with --online`)
		}
	}
	return out
}

// keyed reports whether t has a primary or unique key.
func keyed(t *schema.Table) bool {
	if t.PrimaryKey != nil {
		return true
	}
	for _, ix := range t.Indexes {
		if ix.Unique {
			return true
		}
	}
	return false
}
