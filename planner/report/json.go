package report

import (
	"encoding/json"
	"io"

	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/planner/lint"
)

// JSONFormatVersion is the "format_version" of the json documents. It
// changes only when a field is removed or changes meaning; new fields may
// appear within a version.
const JSONFormatVersion = "1"

// PlanDocument is the json form of a plan (plan --format json), as
// documented in the README.
type PlanDocument struct {
	FormatVersion string            `json:"format_version"`
	Kind          string            `json:"kind"`           // "plan", or "diff"
	From          string            `json:"from,omitempty"` // diff: the schema the changes start from
	Target        string            `json:"target"`
	Dev           bool              `json:"dev"`
	Current       string            `json:"current"` // "" = base
	Head          string            `json:"head"`
	Fingerprint   string            `json:"fingerprint"`
	Summary       PlanSummary       `json:"summary"`
	Changes       []ChangeDocument  `json:"changes"`
	Up            []StatementDoc    `json:"up"`
	Down          []StatementDoc    `json:"down"`
	Findings      []FindingDocument `json:"findings"`
	Notes         []string          `json:"notes"`
	File          string            `json:"file"`  // "" when nothing was written
	Error         string            `json:"error"` // why nothing was written, or ""
	ErrorCode     string            `json:"error_code,omitempty"`
}

// PlanSummary counts what a plan does and what lint found.
type PlanSummary struct {
	Add      int `json:"add"`
	Change   int `json:"change"`
	Destroy  int `json:"destroy"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	// Dropped counts what the changed tables lose.
	Dropped DroppedDocument `json:"dropped"`
}

// DroppedDocument counts the objects dropped inside changed tables.
type DroppedDocument struct {
	Columns     int `json:"columns"`
	Indexes     int `json:"indexes"`
	ForeignKeys int `json:"foreign_keys"`
	Checks      int `json:"checks"`
	PrimaryKeys int `json:"primary_keys"`
}

// ChangeDocument is one object of a plan, as the text plan lists it.
type ChangeDocument struct {
	Action      string   `json:"action"` // "add", "change" or "destroy"
	Kind        string   `json:"kind"`   // "table" or "schema"
	Name        string   `json:"name"`
	RenamedFrom string   `json:"renamed_from"` // the old name of a renamed table, or ""
	Details     []string `json:"details"`      // the changes inside, one line each, starting with + ~ -
	// Algorithm is how the server carries out a changed table's ALTER
	// TABLE (plan on MySQL and MariaDB); null otherwise.
	Algorithm *AlgorithmDocument `json:"algorithm"`
}

// StatementDoc is one SQL statement, without its semicolon.
type StatementDoc struct {
	Comment string `json:"comment"`
	SQL     string `json:"sql"`
}

// FindingDocument is one lint finding.
type FindingDocument struct {
	Code     string `json:"code"`
	Severity string `json:"severity"` // "error" or "warning"
	Table    string `json:"table"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	File     string `json:"file"`     // lint only
	Line     int    `json:"line"`     // lint only
	Silenced bool   `json:"silenced"` // by a nolint directive; lint only
	Reason   string `json:"reason"`   // the directive's reason
}

// LintDocument is the json form of a lint report (lint --format json).
type LintDocument struct {
	FormatVersion string            `json:"format_version"`
	Kind          string            `json:"kind"` // "lint"
	Dir           string            `json:"dir"`
	Dev           string            `json:"dev"`
	Files         []string          `json:"files"`
	Summary       LintSummary       `json:"summary"`
	Findings      []FindingDocument `json:"findings"`
	// Changes are what each file does, in the order of files.
	Changes []FileChangesDocument `json:"changes"`
}

// FileChangesDocument is what one migration file does, as the plan's
// changes list it: up, and down from the state up leaves.
type FileChangesDocument struct {
	File         string           `json:"file"`
	Up           []ChangeDocument `json:"up"`
	Down         []ChangeDocument `json:"down"`
	Irreversible bool             `json:"irreversible"` // no down section
	DownUnread   string           `json:"down_unread"`  // why down was not read ("" when it was)
}

// LintSummary counts lint findings.
type LintSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

func planDocument(p *lint.Plan, info PlanInfo) *PlanDocument {
	doc := &PlanDocument{
		FormatVersion: JSONFormatVersion,
		Kind:          info.kind(),
		From:          info.From,
		Target:        info.Target,
		Dev:           info.Dev,
		Current:       info.Current,
		Head:          info.Head,
		Fingerprint:   info.Fingerprint,
		Changes:       []ChangeDocument{},
		Up:            statementDocs(p.Up),
		Down:          statementDocs(p.Down),
		Findings:      findingDocs(p.Findings),
		Notes:         append([]string{}, p.Notes...),
		File:          info.File,
		Error:         info.Error,
		ErrorCode:     info.ErrorCode,
	}
	doc.Summary.Add, doc.Summary.Change, doc.Summary.Destroy = p.Summary()
	doc.Summary.Errors, doc.Summary.Warnings = severities(p.Findings)
	entries := describe.Group(p.Changes)
	d := describe.CountDrops(entries)
	doc.Summary.Dropped = DroppedDocument{Columns: d.Columns, Indexes: d.Indexes, ForeignKeys: d.ForeignKeys, Checks: d.Checks, PrimaryKeys: d.PrimaryKeys}
	doc.Changes = append(doc.Changes, changeDocs(entries)...)
	for i, e := range entries {
		doc.Changes[i].Algorithm = algorithmDoc(algorithmOf(p.Algorithms, e))
	}
	return doc
}

func changeDocs(entries []*describe.Entry) []ChangeDocument {
	out := []ChangeDocument{}
	for _, e := range entries {
		cd := ChangeDocument{Action: e.Action.String(), Kind: e.Kind, Name: e.Name, RenamedFrom: e.From, Details: []string{}}
		if e.Action == describe.ActionChange {
			cd.Details = append(cd.Details, entryLines(e)...)
		} else {
			cd.Details = append(cd.Details, tableLines(e)...)
		}
		out = append(out, cd)
	}
	return out
}

func lintDocument(r *LintReport) *LintDocument {
	doc := &LintDocument{
		FormatVersion: JSONFormatVersion,
		Kind:          "lint",
		Dir:           r.Dir,
		Dev:           r.Dev,
		Files:         append([]string{}, r.Files...),
		Findings:      findingDocs(r.Findings),
		Changes:       []FileChangesDocument{},
	}
	for _, fc := range r.Changes {
		doc.Changes = append(doc.Changes, FileChangesDocument{File: fc.File, Irreversible: fc.Irreversible, DownUnread: fc.DownUnread,
			Up: changeDocs(describe.Group(fc.Up)), Down: changeDocs(describe.Group(fc.Down))})
	}
	doc.Summary.Files = len(r.Files)
	doc.Summary.Errors, doc.Summary.Warnings = severities(r.Findings)
	return doc
}

func statementDocs(stmts []planner.Statement) []StatementDoc {
	out := []StatementDoc{}
	for _, s := range stmts {
		out = append(out, StatementDoc{Comment: s.Comment, SQL: s.SQL})
	}
	return out
}

func findingDocs(fs []lint.Finding) []FindingDocument {
	out := []FindingDocument{}
	for _, f := range fs {
		out = append(out, FindingDocument{
			Code: f.Code, Severity: string(f.Severity), Table: f.Table,
			Message: f.Message, Fix: f.Fix, File: f.File, Line: f.Line, Silenced: f.Silenced, Reason: f.Reason,
		})
	}
	return out
}

// severities counts the findings that are not silenced.
func severities(fs []lint.Finding) (errs, warns int) {
	for _, f := range fs {
		if f.Silenced {
			continue
		}
		if f.Destructive() {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
