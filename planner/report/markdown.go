package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/schema"
)

// MarkdownPlanMarker and MarkdownLintMarker are the hidden first lines of
// markdown plans and lint reports, which are meant for a pull request
// comment: a summary line, a table of changes with + ~ -, the lint findings,
// and the SQL folded in a <details> block. A CI job finds its earlier
// comment by the marker and updates it instead of adding one per push.
const (
	MarkdownPlanMarker = "<!-- schemactl:plan -->"
	MarkdownLintMarker = "<!-- schemactl:lint -->"
)

func writePlanMarkdown(w io.Writer, p *lint.Plan, info PlanInfo) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, MarkdownPlanMarker)
	if p.Empty() {
		fmt.Fprintf(bw, "### schemactl %s: no changes\n\n", info.kind())
		fmt.Fprintf(bw, "%s: the database matches the schema.\n", plannedAgainst(info))
		return bw.Flush()
	}
	add, change, destroy := p.Summary()
	fmt.Fprintf(bw, "### schemactl %s: %s\n\n", info.kind(), summaryLine(p, add, change, destroy))
	line := plannedAgainst(info) + "."
	if len(p.Findings) > 0 {
		line += " Lint: " + countFindings(p.Findings) + "."
	}
	if info.File != "" {
		line += " Wrote " + codeSpan(info.File) + "."
	}
	fmt.Fprintln(bw, line)
	if info.Error != "" {
		fmt.Fprintf(bw, "\n**Refused:** %s\n", mdText(info.Error))
	}
	writePlanMarkdownBody(bw, p)
	return bw.Flush()
}

// writePlanMarkdownBody writes what a plan does: its changes, how the
// server alters the tables, findings, notes and, folded, the SQL.
func writePlanMarkdownBody(bw *bufio.Writer, p *lint.Plan) {
	writeChangeTable(bw, p.Changes)
	if len(p.Algorithms) > 0 {
		fmt.Fprintf(bw, "\n**How the server alters the tables**\n\n")
		for _, a := range p.Algorithms {
			fmt.Fprintf(bw, "- %s: %s\n", codeSpan(a.Table), mdText(a.Summary()))
		}
	}
	writeFindingsMarkdown(bw, p.Findings, false)
	if len(p.Notes) > 0 {
		fmt.Fprintf(bw, "\n**Notes**\n\n")
		for _, n := range p.Notes {
			fmt.Fprintf(bw, "- %s\n", mdText(n))
		}
	}
	fmt.Fprintf(bw, "\n<details>\n<summary>SQL: %s up, %d down</summary>\n\n", describe.Count(len(p.Up), "statement"), len(p.Down))
	var sql strings.Builder
	sql.WriteString("-- +up\n")
	writeSQL(&sql, p.Up)
	sql.WriteString("-- +down\n")
	writeSQL(&sql, p.Down)
	fence := codeFence(sql.String())
	fmt.Fprintf(bw, "%ssql\n%s%s\n\n</details>\n", fence, sql.String(), fence)
}

// plannedAgainst says where a plan was made, for a markdown summary line.
func plannedAgainst(info PlanInfo) string {
	if info.From != "" {
		return fmt.Sprintf("Diff from %s to %s", codeSpan(info.From), codeSpan(info.Target))
	}
	if info.Dev {
		return fmt.Sprintf("Planned against the dev database %s, with the migration directory replayed to %s",
			codeSpan(info.Target), versionName(info.Head))
	}
	return fmt.Sprintf("Planned against %s (at %s, head %s)", codeSpan(info.Target), versionName(info.Current), versionName(info.Head))
}

func writeSQL(b *strings.Builder, stmts []planner.Statement) {
	for _, s := range stmts {
		if s.Comment != "" {
			for _, l := range strings.Split(s.Comment, "\n") {
				b.WriteString("-- " + l + "\n")
			}
		}
		b.WriteString(s.SQL + ";\n")
	}
}

// writeChangeTable writes changes as a table, one row per object.
func writeChangeTable(w io.Writer, changes []schema.Change) {
	fmt.Fprintf(w, "\n| | object | changes |\n|:-:|---|---|\n")
	for _, e := range describe.Group(changes) {
		name := e.Kind + " " + codeSpan(e.Name)
		if e.From != "" && e.Action == describe.ActionChange {
			name = fmt.Sprintf("%s %s → %s", e.Kind, codeSpan(e.From), codeSpan(e.Name))
		}
		var details []string
		lines := tableLines(e)
		if e.Action == describe.ActionChange {
			lines = entryLines(e)
		}
		for _, l := range lines {
			details = append(details, codeSpan(l))
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", codeSpan(e.Action.Symbol()), cell(name), cell(strings.Join(details, "<br>")))
	}
}

// writeFileChangesMarkdown shows what a migration file does: the up section
// in the open, where a reviewer cannot miss a drop, the down section below.
func writeFileChangesMarkdown(w io.Writer, fc FileChanges) {
	fmt.Fprintf(w, "\n**%s** does:\n", codeSpan(fc.File))
	if len(fc.Up) == 0 {
		fmt.Fprintln(w, "\nup: no schema change")
	} else {
		writeChangeTable(w, fc.Up)
	}
	switch {
	case fc.Irreversible:
		fmt.Fprintln(w, "\ndown: none (irreversible)")
	case fc.DownUnread != "":
		fmt.Fprintf(w, "\ndown: not read: %s\n", mdText(fc.DownUnread))
	case len(fc.Down) == 0:
		fmt.Fprintln(w, "\ndown: no schema change")
	default:
		fmt.Fprintln(w, "\n<details>\n<summary>down</summary>")
		writeChangeTable(w, fc.Down)
		fmt.Fprintln(w, "\n</details>")
	}
}

func writeLintMarkdown(w io.Writer, r *LintReport) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, MarkdownLintMarker)
	files := describe.Count(len(r.Files), "file")
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "### schemactl lint: no findings in %s\n", files)
	} else {
		silenced := ""
		if n := silencedCount(r.Findings); n > 0 {
			silenced = fmt.Sprintf(" (%d silenced)", n)
		}
		fmt.Fprintf(bw, "### schemactl lint: %s%s in %s\n", countFindings(r.Findings), silenced, files)
	}
	if len(r.Files) > 0 {
		names := make([]string, len(r.Files))
		for i, f := range r.Files {
			names[i] = codeSpan(f)
		}
		fmt.Fprintf(bw, "\nLinted %s.\n", strings.Join(names, ", "))
	}
	for _, fc := range r.Changes {
		writeFileChangesMarkdown(bw, fc)
	}
	writeFindingsMarkdown(bw, r.Findings, true)
	return bw.Flush()
}

func writeFindingsMarkdown(w io.Writer, fs []lint.Finding, withPos bool) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n**Lint findings**\n\n")
	if withPos {
		fmt.Fprintf(w, "| | where | code | finding | fix |\n|---|---|---|---|---|\n")
	} else {
		fmt.Fprintf(w, "| | code | finding | fix |\n|---|---|---|---|\n")
	}
	for _, f := range fs {
		sev := ":warning: warning"
		fix := f.Fix
		switch {
		case f.Silenced:
			// Shown, never dropped: a reviewer sees what was waved through.
			sev = ":mute: silenced " + string(f.Severity)
			fix = "silenced by nolint"
			if f.Reason != "" {
				fix += ": " + f.Reason
			}
		case f.Destructive():
			sev = ":x: error"
		}
		pos := ""
		if withPos {
			pos = " " + cell(codeSpan(f.Pos())) + " |"
		}
		fmt.Fprintf(w, "| %s |%s %s | %s | %s |\n", sev, pos, codeSpan(f.Code), cell(mdText(f.Message)), cell(mdText(fix)))
	}
}

// mdText escapes the characters markdown would read as markup.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell makes text safe inside a table cell: a pipe ends the cell even in a
// code span unless escaped, and a newline ends the row.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", "<br>")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// codeSpan writes s as inline code, with a fence longer than any run of
// backticks inside it.
func codeSpan(s string) string {
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// codeFence is a fence for a code block holding s: at least three
// backticks, and more than any run inside s.
func codeFence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}
