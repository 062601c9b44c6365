// Package report prints plans and lint reports for people and programs:
// text for terminals and logs (in the manner of Terraform's plan), markdown
// for a pull request comment, and json documents whose shape is versioned
// (JSONFormatVersion). What is printed comes from planner (the changes and
// statements) and planner/lint (the findings); report adds no judgement of
// its own.
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

// Format is an output format of plans and lint reports.
type Format string

const (
	FormatText     Format = "text"     // for terminals and logs
	FormatMarkdown Format = "markdown" // for pull request comments
	FormatJSON     Format = "json"     // for programs; see JSONFormatVersion
)

// ParseFormat reads the name of a format, in any case: "text", "markdown"
// or "json".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatText, FormatMarkdown, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use text, markdown or json", s)
}

// PlanInfo is what a printed plan says beside the plan itself: where it was
// planned and what became of it.
type PlanInfo struct {
	// Target is the database planned against, as it may be printed (no
	// password).
	Target string
	// Dev is set when Target is a scratch database into which the
	// migration directory was replayed (--dev-url).
	Dev bool
	// Current and Head are the database's version and the directory's
	// head ("" = base).
	Current, Head string
	// Fingerprint is the schema planned against (planner.Fingerprint).
	Fingerprint string
	// File is the migration file written; "" when none was.
	File string
	// Error is why the plan was not written (destructive changes refused);
	// "" when it was, or had nothing to write. ErrorCode names the kind of
	// error for scripts (the CLI's error codes, such as "destructive").
	Error     string
	ErrorCode string
	// From is set for a diff between two schemas ("schemactl diff"): the
	// schema the changes start from, Target being the one they lead to.
	// Current, Head, Dev and File are then unused.
	From string
}

// kind is what the printed plan is: "plan", or "diff" when From is set.
func (info PlanInfo) kind() string {
	if info.From != "" {
		return "diff"
	}
	return "plan"
}

// LintReport is the result of linting migration files (lint.File), as
// Printer.Lint prints it.
type LintReport struct {
	Dir      string
	Dev      string   // the scratch database the files ran on
	Files    []string // the files linted, in order
	Findings []lint.Finding
	// Changes are what each file does, up and down: a report never shows
	// only the findings of a file that drops a column behind a nolint.
	Changes []FileChanges
}

// FileChanges is what one migration file does, section by section.
type FileChanges struct {
	File         string
	Up, Down     []schema.Change
	Irreversible bool   // no down section
	DownUnread   string // why the down section was not read, when it was not
}

// Errors counts the findings of severity error.
func (r *LintReport) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Fails() {
			n++
		}
	}
	return n
}

// Printer writes plans and lint reports in one format.
type Printer struct {
	Format Format
	// Color adds ANSI colours to text output. Turn it on only when the
	// output is a terminal and NO_COLOR is not set.
	Color bool
}

// Plan writes a plan with what info says about it: in text, a header that
// names the target, the plan as WriteText writes it and the file written;
// in markdown, a pull request comment (MarkdownPlanMarker); in json, a
// PlanDocument.
func (pr Printer) Plan(w io.Writer, p *lint.Plan, info PlanInfo) error {
	switch pr.Format {
	case FormatMarkdown:
		return writePlanMarkdown(w, p, info)
	case FormatJSON:
		return writeJSON(w, planDocument(p, info))
	}
	c := palette{on: pr.Color}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n\n", safetext.Line(planHeader(info)))
	if err := writeText(bw, p, c); err != nil {
		return err
	}
	if info.File != "" {
		fmt.Fprintf(bw, "Wrote %s (%s up, %d down).\n", safetext.Line(info.File), describe.Count(len(p.Up), "statement"), len(p.Down))
	}
	return bw.Flush()
}

func planHeader(info PlanInfo) string {
	if info.From != "" {
		return fmt.Sprintf("Diff from %s to %s", info.From, info.Target)
	}
	if info.Dev {
		return fmt.Sprintf("Planning against the dev database %s (the migration directory replayed to %s)", info.Target, versionName(info.Head))
	}
	return fmt.Sprintf("Planning against %s (at %s, head %s)", info.Target, versionName(info.Current), versionName(info.Head))
}

// Lint writes a lint report: in text, one line per finding with its fix
// and a summary line; in markdown, a pull request comment
// (MarkdownLintMarker); in json, a LintDocument.
func (pr Printer) Lint(w io.Writer, r *LintReport) error {
	switch pr.Format {
	case FormatMarkdown:
		return writeLintMarkdown(w, r)
	case FormatJSON:
		return writeJSON(w, lintDocument(r))
	}
	c := palette{on: pr.Color}
	bw := bufio.NewWriter(w)
	for _, fc := range r.Changes {
		writeFileChanges(bw, fc, c)
	}
	for _, f := range r.Findings {
		pos := f.Pos()
		if pos != "" {
			pos += ": "
		}
		if f.Silenced {
			fmt.Fprintf(bw, "%ssilenced %s %s: %s\n", safetext.Line(pos), f.Severity, f.Code, safetext.Line(f.Message))
			if f.Reason != "" {
				fmt.Fprintf(bw, "    reason: %s\n", safetext.Line(f.Reason))
			}
			continue
		}
		fmt.Fprintf(bw, "%s%s %s: %s\n", safetext.Line(pos), c.severity(f.Severity, string(f.Severity)), f.Code, safetext.Line(f.Message))
		if f.Fix != "" {
			fmt.Fprintf(bw, "    fix: %s\n", safetext.Line(f.Fix))
		}
	}
	if len(r.Findings) > 0 {
		bw.WriteString("\n")
	}
	fmt.Fprintf(bw, "%s\n", c.bold(lintSummary(r)))
	return bw.Flush()
}

func lintSummary(r *LintReport) string {
	files := describe.Count(len(r.Files), "file")
	if len(r.Findings) == 0 {
		return fmt.Sprintf("Lint: %s, no findings.", files)
	}
	msg := fmt.Sprintf("Lint: %s, %s", files, countFindings(r.Findings))
	if n := silencedCount(r.Findings); n > 0 {
		msg += fmt.Sprintf(", %d silenced", n)
	}
	return msg + "."
}

func silencedCount(fs []lint.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Silenced {
			n++
		}
	}
	return n
}

// versionName prints the empty version as "base", as Alembic does.
func versionName(v string) string {
	if v == "" {
		return "base"
	}
	return v
}
