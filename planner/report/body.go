package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/schemactl/schemactl/internal/safetext"
	"github.com/schemactl/schemactl/planner/lint"
)

// PlanBody writes what a plan does without saying where it was planned:
// for a plan shared by many databases (plan --dry-run over a fleet), whose
// caller says which ones. In text, the plan as WriteText writes it and its
// SQL, up and down; in markdown, the body of the pull request comment
// (changes, findings, notes, the SQL folded). JSON has NewPlanDocument.
func (pr Printer) PlanBody(w io.Writer, p *lint.Plan) error {
	bw := bufio.NewWriter(w)
	if pr.Format == FormatMarkdown {
		writePlanMarkdownBody(bw, p)
		return bw.Flush()
	}
	if err := writeText(bw, p, palette{on: pr.Color}); err != nil {
		return err
	}
	var sql strings.Builder
	sql.WriteString("\n-- +up\n")
	writeSQL(&sql, p.Up)
	sql.WriteString("-- +down\n")
	writeSQL(&sql, p.Down)
	bw.WriteString(safetext.Lines(sql.String()))
	return bw.Flush()
}

// Summary counts a plan as the text plan's last line does: "1 to add,
// 1 to change (1 column dropped), 0 to destroy".
func Summary(p *lint.Plan) string {
	add, change, destroy := p.Summary()
	return summaryLine(p, add, change, destroy)
}

// NewPlanDocument is the json form of a plan, as Printer.Plan writes it.
func NewPlanDocument(p *lint.Plan, info PlanInfo) *PlanDocument { return planDocument(p, info) }
