package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/internal/safetext"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// WriteText writes the plan for a terminal or a log, in the manner of
// Terraform: one line per table with +, ~ or -, the changes inside a changed
// table beneath it, the lint findings and notes, and a summary line.
func WriteText(w io.Writer, p *lint.Plan) error { return writeText(w, p, palette{}) }

func writeText(w io.Writer, p *lint.Plan, c palette) error {
	bw := bufio.NewWriter(w)
	if p.Empty() {
		fmt.Fprintln(bw, "No changes. The database matches the schema.")
		return bw.Flush()
	}
	for _, e := range describe.Group(p.Changes) {
		writeEntry(bw, e, c)
		if a := algorithmOf(p.Algorithms, e); a != nil {
			fmt.Fprintf(bw, "      algorithm: %s\n", safetext.Line(a.Summary()))
		}
	}
	if len(p.Findings) > 0 {
		fmt.Fprintf(bw, "\nFindings (%s):\n", countFindings(p.Findings))
		for _, f := range p.Findings {
			fmt.Fprintf(bw, "  %s  %s  %s\n", c.severity(f.Severity, fmt.Sprintf("%-7s", f.Severity)), f.Code, safetext.Line(f.Message))
			if f.Fix != "" {
				fmt.Fprintf(bw, "                  fix: %s\n", safetext.Line(f.Fix))
			}
		}
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(bw, "\nNotes:")
		for _, n := range p.Notes {
			fmt.Fprintf(bw, "  %s\n", safetext.Line(n))
		}
	}
	add, change, destroy := p.Summary()
	fmt.Fprintf(bw, "\n%s\n", c.bold("Plan: "+summaryLine(p, add, change, destroy)+"."))
	return bw.Flush()
}

// WriteChanges writes changes as the text plan lists them (one line per
// table with +, ~ or -, the changes inside beneath it), without findings or
// summary: to show a difference that is not a plan, such as drift.
func WriteChanges(w io.Writer, changes []schema.Change) error {
	bw := bufio.NewWriter(w)
	if len(changes) == 0 {
		fmt.Fprintln(bw, "  (no differences in the managed schema)")
	}
	for _, e := range describe.Group(changes) {
		writeEntry(bw, e, palette{})
	}
	return bw.Flush()
}

// summaryLine counts a plan as Terraform does, and says what the changed
// tables lose: "0 to add, 1 to change (1 column dropped), 0 to destroy".
func summaryLine(p *lint.Plan, add, change, destroy int) string {
	changed := fmt.Sprintf("%d to change", change)
	if d := describe.CountDrops(describe.Group(p.Changes)).String(); d != "" {
		changed += " (" + d + ")"
	}
	return fmt.Sprintf("%d to add, %s, %d to destroy", add, changed, destroy)
}

// writeFileChanges lists what a migration file does, up and down, the way
// a plan lists its changes.
func writeFileChanges(w io.Writer, fc FileChanges, c palette) {
	fmt.Fprintf(w, "%s:\n", safetext.Line(fc.File))
	section := func(name string, changes []schema.Change) {
		if len(changes) == 0 {
			fmt.Fprintf(w, "  %s: no schema change\n", name)
			return
		}
		fmt.Fprintf(w, "  %s:\n", name)
		for _, e := range describe.Group(changes) {
			var b strings.Builder
			writeEntry(&b, e, c)
			for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
	section("up", fc.Up)
	switch {
	case fc.Irreversible:
		fmt.Fprintln(w, "  down: none (irreversible)")
	case fc.DownUnread != "":
		fmt.Fprintf(w, "  down: not read: %s\n", safetext.Line(fc.DownUnread))
	default:
		section("down", fc.Down)
	}
	fmt.Fprintln(w)
}

// countFindings says "1 error, 2 warnings".
func countFindings(fs []lint.Finding) string {
	errs, warns := severities(fs)
	return describe.Count(errs, "error") + ", " + describe.Count(warns, "warning")
}

func writeEntry(w io.Writer, e *describe.Entry, c palette) {
	// Names come from HCL and the database: a newline in one must not
	// make a line of its own.
	head := fmt.Sprintf("  %s %s %s", c.action(e.Action, e.Action.Symbol()), e.Kind, safetext.Line(e.Name))
	if e.From != "" && e.Action == describe.ActionChange {
		head = fmt.Sprintf("  %s %s %s -> %s  (renamed)", c.action(describe.ActionChange, "~"), e.Kind, safetext.Line(e.From), safetext.Line(e.Name))
	}
	fmt.Fprintln(w, head)
	if e.Action != describe.ActionChange {
		// What a table is created with, or what is lost with it.
		for _, l := range tableLines(e) {
			fmt.Fprintf(w, "      %s\n", c.line(safetext.Line(l)))
		}
		return
	}
	for _, l := range entryLines(e) {
		fmt.Fprintf(w, "      %s\n", c.line(safetext.Line(l)))
	}
}

// tableLines lists the columns of a created or dropped table, and the keys,
// indexes and checks it is created with.
func tableLines(e *describe.Entry) []string {
	t := e.Table
	if t == nil {
		return nil
	}
	mark := e.Action.Symbol()
	var lines []string
	for _, c := range t.Columns {
		lines = append(lines, fmt.Sprintf("%s column %s  %s", mark, c.Name, describe.Column(c)))
	}
	if e.Action != describe.ActionAdd {
		return lines
	}
	if t.PrimaryKey != nil {
		lines = append(lines, "+ primary key "+describe.PrimaryKey(t.PrimaryKey))
	}
	for _, i := range t.Indexes {
		lines = append(lines, "+ "+describe.Index(i))
	}
	for _, f := range t.ForeignKeys {
		lines = append(lines, "+ foreign key "+describe.ForeignKey(f))
	}
	for _, c := range t.Checks {
		lines = append(lines, "+ check "+describe.Check(c))
	}
	return lines
}

// entryLines describes the changes inside a changed table or schema, one
// line each, starting with +, ~ or -.
func entryLines(e *describe.Entry) []string {
	var lines []string
	if s := e.Schema; s != nil {
		lines = append(lines, schemaLines(s)...)
	}
	for _, c := range e.Nested {
		lines = append(lines, nestedLines(c)...)
	}
	return lines
}

func schemaLines(c *schema.ModifySchema) []string {
	var lines []string
	if c.Kind.Is(schema.ChangeCharset) {
		lines = append(lines, fmt.Sprintf("~ charset %s -> %s", c.From.Charset, c.To.Charset))
	}
	if c.Kind.Is(schema.ChangeCollate) {
		lines = append(lines, fmt.Sprintf("~ collate %s -> %s", c.From.Collate, c.To.Collate))
	}
	if c.Kind.Is(schema.ChangeComment) {
		lines = append(lines, fmt.Sprintf("~ comment %q -> %q", c.From.Comment, c.To.Comment))
	}
	return lines
}

// nestedLines describes one change inside a table, usually in one line.
func nestedLines(c schema.Change) []string {
	switch c := c.(type) {
	case *schema.AddColumn:
		return []string{fmt.Sprintf("+ column %s  %s", c.C.Name, describe.Column(c.C))}
	case *schema.DropColumn:
		return []string{"- column " + c.C.Name}
	case *schema.ModifyColumn:
		return []string{fmt.Sprintf("~ column %s  %s -> %s", c.To.Name, describe.Column(c.From), describe.Column(c.To))}
	case *schema.RenameColumn:
		return []string{fmt.Sprintf("~ column %s -> %s  (renamed)", c.From, c.To)}
	case *schema.AddIndex:
		return []string{"+ " + describe.Index(c.I)}
	case *schema.DropIndex:
		return []string{"- index " + c.I.Name}
	case *schema.RenameIndex:
		return []string{fmt.Sprintf("~ index %s -> %s  (renamed)", c.From, c.To)}
	case *schema.ModifyPrimaryKey:
		switch {
		case c.From == nil:
			return []string{"+ primary key " + describe.PrimaryKey(c.To)}
		case c.To == nil:
			return []string{"- primary key " + describe.PrimaryKey(c.From)}
		}
		return []string{fmt.Sprintf("~ primary key %s -> %s", describe.PrimaryKey(c.From), describe.PrimaryKey(c.To))}
	case *schema.AddForeignKey:
		return []string{"+ foreign key " + describe.ForeignKey(c.F)}
	case *schema.DropForeignKey:
		if c.F.Name != "" {
			return []string{"- foreign key " + c.F.Name}
		}
		return []string{"- foreign key " + describe.ForeignKey(c.F)}
	case *schema.AddCheck:
		return []string{"+ check " + describe.Check(c.C)}
	case *schema.DropCheck:
		if c.C.Name != "" {
			return []string{"- check " + c.C.Name}
		}
		return []string{"- check " + describe.Check(c.C)}
	case *schema.ModifyTableOptions:
		return optionLines(c)
	}
	return []string{fmt.Sprintf("? %T", c)}
}

func optionLines(c *schema.ModifyTableOptions) []string {
	f, t := c.From, c.To
	opts := []struct {
		k        schema.ChangeKind
		name     string
		from, to string
	}{
		{schema.ChangeComment, "comment", fmt.Sprintf("%q", f.Comment), fmt.Sprintf("%q", t.Comment)},
		{schema.ChangeCharset, "charset", f.Charset, t.Charset},
		{schema.ChangeCollate, "collate", f.Collate, t.Collate},
		{schema.ChangeEngine, "engine", f.Engine, t.Engine},
		{schema.ChangeAutoIncrement, "auto_increment", fmt.Sprint(f.AutoIncrement), fmt.Sprint(t.AutoIncrement)},
		{schema.ChangeStrict, "strict", fmt.Sprint(f.Strict), fmt.Sprint(t.Strict)},
		{schema.ChangeWithoutRowID, "without_rowid", fmt.Sprint(f.WithoutRowID), fmt.Sprint(t.WithoutRowID)},
	}
	var lines []string
	for _, o := range opts {
		if c.Kind.Is(o.k) {
			lines = append(lines, fmt.Sprintf("~ %s %s -> %s", o.name, o.from, o.to))
		}
	}
	return lines
}
