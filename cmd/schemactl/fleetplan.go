package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
	"github.com/schemactl/schemactl/planner"
	"github.com/schemactl/schemactl/planner/lint"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/schemactl/schemactl/schema"
	"github.com/spf13/cobra"
)

// runFleetPlan is plan --dry-run over a fleet: every target planned
// against the HCL, nothing written, and the plans that differ shown once
// each, with the targets that get them. It answers "does every tenant
// match the schema, and if not, what would each need?" before a
// migration planned against one of them is applied to all.
func runFleetPlan(cmd *cobra.Command, f *planFlags, urls []string, hints []planner.Rename) error {
	switch {
	case f.devURL != "":
		return &inputError{errors.New("--dev-url plans against one scratch database: it takes no fleet")}
	case f.message != "" || !f.dryRun:
		return &inputError{fmt.Errorf("plan writes one migration, planned against one database: over a fleet (%d targets) give --dry-run, which plans each and writes nothing, then plan -m against one of them", len(urls))}
	case f.reason != "" && !f.allowDestructive:
		return &inputError{errors.New("--reason is the reason written with --allow-destructive: give both")}
	}
	pr, err := f.format.printer(cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if err := f.ff.checkConcurrency(); err != nil {
		return err
	}
	vars, err := schemaVars(cmd)
	if err != nil {
		return err
	}
	if err := checkFleetSchema(cmd, f.paths, vars, urls); err != nil {
		return err
	}
	r := &fleetRun{cmd: cmd, command: "plan", total: len(urls)}
	opts := fleet.Options{Concurrency: f.ff.concurrency, OnFailure: fleet.Continue, Done: r.done}
	rs := fleet.Plan(cmd.Context(), fleetTargets(&f.db, "", urls), opts, engine.PlanOptions{
		Schema: f.paths, Vars: vars, Renames: hints, AllowDestructive: f.allowDestructive, Reason: f.reason,
	})
	for _, res := range rs {
		if p := res.Plan; p != nil && p.Warnings != nil {
			if err := reportDiagnostics(cmd, f.paths, p.Warnings.Files, p.Warnings.Diags); err != nil {
				return err
			}
			break
		}
	}
	fp := newFleetPlan(rs)
	out := cmd.OutOrStdout()
	switch pr.Format {
	case report.FormatJSON:
		if werr := writeJSON(out, fp.document()); werr != nil {
			return errors.Join(fp.err, werr)
		}
	case report.FormatMarkdown:
		if werr := fp.markdown(out, pr); werr != nil {
			return errors.Join(fp.err, werr)
		}
	default:
		if werr := fp.text(out, pr); werr != nil {
			return errors.Join(fp.err, werr)
		}
	}
	if fp.err == nil && f.exitCode && fp.changed > 0 {
		return &exitError{code: 2}
	}
	return fp.err
}

// checkFleetSchema decodes the HCL once, for each engine the fleet has,
// without a database: errors in it are told once, before any target is
// touched, as plan on one database tells them. Warnings are told once
// each target has planned.
func checkFleetSchema(cmd *cobra.Command, paths []string, vars map[string]string, urls []string) error {
	seen := map[schema.Dialect]bool{}
	for _, u := range urls {
		d, err := engine.URLDialect(u)
		if err != nil || seen[d] {
			continue // the target says what is wrong with its URL
		}
		seen[d] = true
		offline, err := engine.Open(cmd.Context(), engine.Target{Dialect: d})
		if err != nil {
			return err
		}
		_, files, diags := offline.LoadSchema(vars, paths...)
		offline.Close()
		if diags.HasErrors() {
			return reportDiagnostics(cmd, paths, files, diags)
		}
	}
	return nil
}

// fleetPlan is the outcome of plan --dry-run over a fleet: each target's
// result and the distinct plans, numbered from 1 in the order of their
// first target.
type fleetPlan struct {
	rs     []fleet.Result
	groups []fleet.PlanGroup
	planOf []int // planOf[i] is target i's plan number, 0 for none

	// Every target is one of: in sync (no changes), changed (a plan with
	// changes), refused (a plan with destructive changes not allowed),
	// failed (no plan) or skipped.
	inSync, changed, refused, failed, skipped int
	versions                                  map[string]int
	head                                      string
	err                                       error
}

func newFleetPlan(rs []fleet.Result) *fleetPlan {
	fp := &fleetPlan{rs: rs, groups: fleet.Group(rs), planOf: make([]int, len(rs)), versions: map[string]int{}}
	for g, grp := range fp.groups {
		for _, i := range grp.Targets {
			fp.planOf[i] = g + 1
		}
	}
	var firstFail *fleet.Result
	for i, res := range rs {
		if res.To != "" {
			fp.head = res.To
		}
		var derr *lint.DestructiveError
		switch {
		case res.Outcome == fleet.Skipped:
			fp.skipped++
		case res.Outcome == fleet.Failed && fp.planOf[i] > 0 && errors.As(res.Err, &derr):
			fp.refused++
		case res.Outcome == fleet.Failed:
			fp.failed++
		case fp.planOf[i] > 0:
			fp.changed++
		default:
			fp.inSync++
		}
		if res.Outcome == fleet.Failed && firstFail == nil {
			firstFail = &rs[i]
		}
		// A target that read its version has a place in the skew, even
		// when it failed after (behind the head, say).
		if res.Outcome != fleet.Skipped && (res.Plan != nil || res.To != "") {
			fp.versions[res.From]++
		}
	}
	if n := fp.refused + fp.failed + fp.skipped; n > 0 {
		msg := fmt.Sprintf("%d of %d targets did not plan cleanly: %d refused, %d failed, %d not started", n, len(rs), fp.refused, fp.failed, fp.skipped)
		if firstFail != nil {
			msg += fmt.Sprintf("; first failure: %s: %s", firstFail.Target, oneLine(firstFail.Err.Error(), 0))
		}
		fp.err = &fleetError{msg}
	}
	return fp
}

// line is the summary line: the counts, the plans, the version skew.
func (fp *fleetPlan) line() string {
	return fmt.Sprintf("%d %s: %d without changes, %d with changes, %d refused (destructive), %d failed, %d not started; %d %s. Versions: %s (head %s).",
		len(fp.rs), plural(len(fp.rs), "target", "targets"), fp.inSync, fp.changed, fp.refused, fp.failed, fp.skipped,
		len(fp.groups), plural(len(fp.groups), "distinct plan", "distinct plans"), skew(fp.versions), versionName(fp.head))
}

// result is a target's result cell: no changes, the plan it gets, or why
// it has none.
func (fp *fleetPlan) result(i int, width int) string {
	res := fp.rs[i]
	var s string
	switch {
	case fp.planOf[i] > 0:
		s = fmt.Sprintf("plan %d: %s", fp.planOf[i], report.Summary(res.Plan.Plan))
		var derr *lint.DestructiveError
		switch {
		case errors.As(res.Err, &derr):
			s += "; refused: " + oneLine(res.Err.Error(), width)
		case res.Err != nil:
			s += "; failed: " + oneLine(res.Err.Error(), width)
		}
		return s
	case res.Err != nil:
		return string(res.Outcome) + ": " + oneLine(res.Err.Error(), width)
	}
	return "no changes"
}

// text writes a row a target, then each distinct plan once, then the
// summary line.
func (fp *fleetPlan) text(out io.Writer, pr report.Printer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tVERSION\tHEAD\tRESULT")
	for i, res := range fp.rs {
		from, head := planVersions(res)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", printable(res.Target), from, head, fp.result(i, 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for g, grp := range fp.groups {
		fmt.Fprintf(out, "\n== %s\n\n", fp.heading(g, printable))
		if err := pr.PlanBody(out, grp.Plan.Plan); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(out, "\n%s\n", fp.line())
	return err
}

// heading names plan g and its targets (five at most, each through
// name) and, when they differ in size, whose sizes the plan shows.
func (fp *fleetPlan) heading(g int, name func(string) string) string {
	grp := fp.groups[g]
	var names []string
	for k, i := range grp.Targets {
		if k == 5 {
			names = append(names, fmt.Sprintf("and %d more", len(grp.Targets)-5))
			break
		}
		names = append(names, name(fp.rs[i].Target))
	}
	n := len(grp.Targets)
	h := fmt.Sprintf("Plan %d, for %d %s: %s", g+1, n, plural(n, "target", "targets"), strings.Join(names, ", "))
	if n > 1 && sized(grp.Plan.Plan) {
		h += fmt.Sprintf(" (table sizes and times of %s, the largest)", name(fp.rs[grp.Largest].Target))
	}
	return h
}

// sized reports whether a plan shows table sizes, which differ from one
// target to the next.
func sized(p *lint.Plan) bool {
	for _, a := range p.Algorithms {
		if a.Size != nil {
			return true
		}
	}
	return false
}

// markdown writes the fleet as a pull request or chat comment: a hidden
// marker, the summary line, a table of targets, each plan folded.
func (fp *fleetPlan) markdown(w io.Writer, pr report.Printer) error {
	fmt.Fprintf(w, "<!-- schemactl:fleet -->\n**schemactl plan --dry-run**: %s\n\n", mdCell(fp.line()))
	fmt.Fprintln(w, "| target | version | head | result |\n|---|---|---|---|")
	for i, res := range fp.rs {
		from, head := planVersions(res)
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdCell(mdTarget(res.Target)), from, head, mdCell(fp.result(i, 200)))
	}
	for g, grp := range fp.groups {
		fmt.Fprintf(w, "\n#### %s\n", mdCell(fp.heading(g, mdTarget)))
		if err := pr.PlanBody(w, grp.Plan.Plan); err != nil {
			return err
		}
	}
	return nil
}

// The document of plan --dry-run over a fleet (--format json): the fleet
// document's fields, each target's plan number, and the plans.
type (
	fleetPlanDocument struct {
		FormatVersion string                 `json:"format_version"`
		Kind          string                 `json:"kind"`    // "fleet"
		Command       string                 `json:"command"` // "plan"
		Head          string                 `json:"head"`
		Summary       fleetPlanSummary       `json:"summary"`
		Versions      map[string]int         `json:"versions"`
		Targets       []fleetPlanTarget      `json:"targets"`
		Plans         []*report.PlanDocument `json:"plans"`
		Error         string                 `json:"error"`
		ErrorCode     string                 `json:"error_code,omitempty"`
	}
	// fleetPlanSummary is the fleet summary (ok: planned, with or without
	// changes; failed: refused or without a plan) and how the plans fell:
	// in_sync + changed = ok, and ok + failed + skipped = targets.
	fleetPlanSummary struct {
		fleetSummary
		InSync  int `json:"in_sync"` // no changes
		Changed int `json:"changed"` // a plan with changes
		Refused int `json:"refused"` // a plan with destructive changes, not allowed
		Plans   int `json:"plans"`   // distinct plans
	}
	fleetPlanTarget struct {
		fleetTarget
		// Plan is the number of the target's plan in plans (from 1), 0
		// when it has no changes or no plan.
		Plan int `json:"plan"`
	}
)

func (fp *fleetPlan) document() *fleetPlanDocument {
	doc := &fleetPlanDocument{
		FormatVersion: report.JSONFormatVersion, Kind: "fleet", Command: "plan", Head: fp.head,
		Summary: fleetPlanSummary{
			fleetSummary: fleetSummary{Targets: len(fp.rs), OK: fp.inSync + fp.changed, Failed: fp.failed + fp.refused, Skipped: fp.skipped},
			InSync:       fp.inSync, Changed: fp.changed, Refused: fp.refused, Plans: len(fp.groups),
		},
		Versions: fp.versions, Targets: make([]fleetPlanTarget, len(fp.rs)), Plans: make([]*report.PlanDocument, len(fp.groups)),
	}
	for i, r := range fp.rs {
		doc.Targets[i] = fleetPlanTarget{fleetTarget: newFleetTarget(r), Plan: fp.planOf[i]}
	}
	for g, grp := range fp.groups {
		p := grp.Plan
		doc.Plans[g] = report.NewPlanDocument(p.Plan, report.PlanInfo{Target: p.Where, Current: p.Current, Head: p.Head, Fingerprint: p.Fingerprint})
	}
	if fp.err != nil {
		doc.Error = fp.err.Error()
		doc.ErrorCode = codeFleet
	}
	return doc
}

// planVersions are a target's version and head as the table shows them:
// "-" when it did not get as far as reading them.
func planVersions(res fleet.Result) (string, string) {
	if res.Plan == nil && res.From == "" && res.To == "" {
		return "-", "-"
	}
	return versionName(res.From), versionName(res.To)
}

// planSummary is a target's plan in a progress line.
func planSummary(p *lint.Plan) string {
	if p.Empty() {
		return "no changes"
	}
	return report.Summary(p)
}
