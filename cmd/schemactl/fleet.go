package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
	"github.com/schemactl/schemactl/executor"
	"github.com/schemactl/schemactl/planner/report"
	"github.com/spf13/cobra"
)

// fleetAnnotation marks the commands that run on several targets: only
// they take --url more than once or an env with a list of URLs.
const fleetAnnotation = "schemactl/fleet"

func fleetCapable(cmd *cobra.Command) bool { return cmd.Annotations[fleetAnnotation] != "" }

// fleetFlags are the flags of apply and status that name and steer a
// fleet: many databases sharing one migration directory.
type fleetFlags struct {
	urlFile     string
	expect      int
	concurrency int
	canary      int
	onFailure   string
}

func (f *fleetFlags) register(cmd *cobra.Command) {
	f.registerTargets(cmd)
	fl := cmd.Flags()
	fl.IntVar(&f.canary, "canary", 0, "with a fleet: run the first K targets first; the others only if all K succeed")
	fl.StringVar(&f.onFailure, "on-failure", "stop", "with a fleet: after a target fails, stop (start no more) or continue")
}

// registerTargets registers the flags that name a fleet and how many of
// its targets run at once, without the canary and failure policy: for
// plan --dry-run, which changes nothing and plans every target.
func (f *fleetFlags) registerTargets(cmd *cobra.Command) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[fleetAnnotation] = "yes"
	fl := cmd.Flags()
	fl.StringVar(&f.urlFile, "url-file", "", "run on every database URL of this file (one a line, # comments): a fleet")
	fl.IntVar(&f.expect, "expect", -1, "with a fleet: refuse to start unless the URLs (after globs) are exactly this many")
	fl.IntVar(&f.concurrency, "concurrency", 1, "with a fleet: how many targets run at once")
}

// targets are the URLs the command runs on, and whether they make a
// fleet: --url given more than once, an env with a list of URLs,
// --url-file, or a mysql:// URL whose database is a glob. Globs are
// expanded here, and the count of each is told on stderr.
func (f *fleetFlags) targets(cmd *cobra.Command, u *urlFlag) ([]string, bool, error) {
	urls := u.all()
	if f.urlFile != "" {
		more, err := fleet.ReadURLs(f.urlFile)
		if err != nil {
			return nil, false, &inputError{fmt.Errorf("--url-file: %w", err)}
		}
		if len(more) == 0 {
			return nil, false, &inputError{fmt.Errorf("--url-file %s holds no URL", f.urlFile)}
		}
		urls = append(urls, more...)
	}
	glob := false
	for _, raw := range urls {
		glob = glob || fleet.IsGlob(raw)
	}
	if len(urls) <= 1 && f.urlFile == "" && !glob {
		if f.expect >= 0 && len(urls) != f.expect {
			return nil, false, &inputError{fmt.Errorf("--expect %d: %d database URL given", f.expect, len(urls))}
		}
		return urls, false, nil
	}
	urls, matches, err := fleet.Expand(cmd.Context(), urls)
	if err != nil {
		return nil, true, err
	}
	for _, m := range matches {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s matched %d %s\n", printable(m.Pattern), len(m.URLs), plural(len(m.URLs), "database", "databases"))
	}
	if f.expect >= 0 && len(urls) != f.expect {
		return nil, true, &inputError{fmt.Errorf("--expect %d, but the URLs name %d %s: nothing was run (a user who cannot see some databases matches fewer)",
			f.expect, len(urls), plural(len(urls), "database", "databases"))}
	}
	if len(urls) == 0 {
		return nil, true, &inputError{errors.New("the fleet has no database: nothing to run on")}
	}
	return urls, true, nil
}

// options are the fleet.Options of the flags.
func (f *fleetFlags) options() (fleet.Options, error) {
	p, err := fleet.ParsePolicy(f.onFailure)
	if err != nil {
		return fleet.Options{}, &inputError{fmt.Errorf("--%w", err)}
	}
	if err := f.checkConcurrency(); err != nil {
		return fleet.Options{}, err
	}
	if f.canary < 0 {
		return fleet.Options{}, &inputError{fmt.Errorf("--canary %d: want 0 or more", f.canary)}
	}
	return fleet.Options{Concurrency: f.concurrency, Canary: f.canary, OnFailure: p}, nil
}

func (f *fleetFlags) checkConcurrency() error {
	if f.concurrency < 1 {
		return &inputError{fmt.Errorf("--concurrency %d: want 1 or more", f.concurrency)}
	}
	return nil
}

// fleetRun is one apply or status over a fleet being reported: a line on
// stderr per target as it ends, then the summary on stdout.
type fleetRun struct {
	cmd     *cobra.Command
	command string // apply or status
	format  string // text, json or markdown
	mu      sync.Mutex
	ended   int
	total   int
}

func (r *fleetRun) done(res fleet.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended++
	w := r.cmd.ErrOrStderr()
	fmt.Fprintf(w, "[%d/%d] %s %s", r.ended, r.total, strings.ToUpper(string(res.Outcome)), printable(res.Target))
	switch {
	case res.Outcome == fleet.Skipped:
	case r.command == "status" && res.Outcome == fleet.OK:
		fmt.Fprintf(w, " at %s, head %s (%s)", versionName(res.From), versionName(res.To), ms(res.Duration))
	case r.command == "status":
		fmt.Fprintf(w, " (%s)", ms(res.Duration))
	case r.command == "plan" && res.Plan != nil:
		fmt.Fprintf(w, " at %s: %s (%s)", versionName(res.From), planSummary(res.Plan.Plan), ms(res.Duration))
	case r.command == "plan":
		fmt.Fprintf(w, " (%s)", ms(res.Duration))
	default:
		fmt.Fprintf(w, " %s -> %s (%s)", versionName(res.From), versionName(res.To), ms(res.Duration))
	}
	if res.Err != nil {
		fmt.Fprintf(w, ": %s", oneLine(res.Err.Error(), 0))
	}
	fmt.Fprintln(w)
}

// fleetTargets are the engine targets of urls, with the flags' directory
// and settings.
func fleetTargets(db *dbFlags, devURL string, urls []string) []engine.Target {
	ts := make([]engine.Target, len(urls))
	for i, u := range urls {
		t := db.target()
		t.URL, t.DevURL = u, devURL
		ts[i] = t
	}
	return ts
}

// runFleetApply is apply (or apply --dry-run) over a fleet.
func runFleetApply(cmd *cobra.Command, urls []string, db *dbFlags, devURL string, ff *fleetFlags, o *migrateOutput, ctl engine.Control, apply engine.ApplyOptions) error {
	format, err := fleetFormat(cmd, &o.format)
	if err != nil {
		return err
	}
	if ctl.Resolve != executor.ResolveAuto {
		return &inputError{errors.New("--resume-done and --resume-rerun answer for one database: give its --url alone")}
	}
	opts, err := ff.options()
	if err != nil {
		return err
	}
	r := &fleetRun{cmd: cmd, command: "apply", format: format, total: len(urls)}
	opts.Done, opts.Interrupt = r.done, ctl.Interrupt
	rs := fleet.Apply(cmd.Context(), fleetTargets(db, devURL, urls), opts, apply)
	return r.finish(rs, head(cmd.Context(), db))
}

// runFleetStatus is status over a fleet: each target's version, and the
// skew at a glance.
func runFleetStatus(cmd *cobra.Command, urls []string, db *dbFlags, devURL string, ff *fleetFlags, f *textOrJSON, exitCode bool) error {
	format, err := fleetFormat(cmd, f)
	if err != nil {
		return err
	}
	opts, err := ff.options()
	if err != nil {
		return err
	}
	r := &fleetRun{cmd: cmd, command: "status", format: format, total: len(urls)}
	opts.Done = r.done
	rs := fleet.Status(cmd.Context(), fleetTargets(db, devURL, urls), opts)
	if err := r.finish(rs, head(cmd.Context(), db)); err != nil {
		return err
	}
	if exitCode {
		for _, res := range rs {
			if res.Behind() {
				return &exitError{code: 2}
			}
		}
	}
	return nil
}

// fleetFormat is --format of a fleet, which may also be markdown (a pull
// request or chat comment): the summary table with a hidden marker.
func fleetFormat(cmd *cobra.Command, f *textOrJSON) (string, error) {
	if f.value == "markdown" {
		return f.value, nil
	}
	if _, err := f.json(cmd); err != nil {
		return "", &inputError{fmt.Errorf("--format %q: %s over a fleet writes text, markdown or json", f.value, cmd.Name())}
	}
	return f.value, nil
}

// head is the directory's last version, "" when it cannot be read (each
// target then says why).
func head(ctx context.Context, db *dbFlags) string {
	e, err := engine.Open(ctx, engine.Target{Dir: db.dir})
	if err != nil {
		return ""
	}
	ms, err := e.Migrations()
	if err != nil || len(ms) == 0 {
		return ""
	}
	return ms[len(ms)-1].Version
}

// fleetError is the error of a fleet run in which a target did not reach
// the target version (or, for status, did not answer).
type fleetError struct{ msg string }

func (e *fleetError) Error() string { return e.msg }

func (r *fleetRun) finish(rs []fleet.Result, head string) error {
	var ok, failed, skipped int
	versions := map[string]int{}
	var firstFail *fleet.Result
	for i, res := range rs {
		switch res.Outcome {
		case fleet.OK:
			ok++
			v := res.To
			if r.command == "status" {
				v = res.From
			}
			versions[v]++
		case fleet.Failed:
			failed++
			if firstFail == nil {
				firstFail = &rs[i]
			}
		default:
			skipped++
		}
	}
	var err error
	if failed+skipped > 0 {
		msg := fmt.Sprintf("%d of %d targets did not %s: %d failed, %d not started", failed+skipped, len(rs), r.verb(), failed, skipped)
		if firstFail != nil {
			msg += fmt.Sprintf("; first failure: %s: %s", firstFail.Target, oneLine(firstFail.Err.Error(), 0))
		}
		err = &fleetError{msg}
	}
	out := r.cmd.OutOrStdout()
	line := fmt.Sprintf("%d %s: %d ok, %d failed, %d not started. Versions: %s (head %s).",
		len(rs), plural(len(rs), "target", "targets"), ok, failed, skipped, skew(versions), versionName(head))
	if r.format == "markdown" {
		r.markdown(out, rs, line)
		return err
	}
	if r.format == "json" {
		doc := newFleetDocument(r.command, head, rs, versions, ok, failed, skipped, err)
		if werr := writeJSON(out, doc); werr != nil {
			return errors.Join(err, werr)
		}
		return err
	}
	r.table(out, rs)
	fmt.Fprintln(out, line)
	return err
}

// table writes a row a target: where it was, where it is, how long it
// took and how it ended.
func (r *fleetRun) table(out io.Writer, rs []fleet.Result) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	if r.command == "status" {
		fmt.Fprintln(tw, "TARGET\tVERSION\tHEAD\tRESULT")
	} else {
		fmt.Fprintln(tw, "TARGET\tFROM\tTO\tDURATION\tRESULT")
	}
	for _, res := range rs {
		result := string(res.Outcome)
		if res.Outcome == fleet.OK && res.Behind() && r.command == "status" {
			result = "behind"
		}
		if res.Err != nil {
			result += ": " + oneLine(res.Err.Error(), 100)
		}
		from, to, took := versionName(res.From), versionName(res.To), ms(res.Duration)
		if res.Outcome == fleet.Skipped {
			from, to, took = "-", "-", "-"
		} else if res.Outcome == fleet.Failed && r.command == "status" {
			from = "-" // it did not answer
		}
		if r.command == "status" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", printable(res.Target), from, to, result)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", printable(res.Target), from, to, took, result)
		}
	}
	tw.Flush()
}

// markdown writes the summary as a comment: a hidden marker (a CI job
// updates its comment instead of adding one), the counts, and a table.
func (r *fleetRun) markdown(w io.Writer, rs []fleet.Result, line string) {
	fmt.Fprintf(w, "<!-- schemactl:fleet -->\n**schemactl %s**: %s\n\n", r.command, mdCell(line))
	if r.command == "status" {
		fmt.Fprintln(w, "| target | version | head | result |\n|---|---|---|---|")
	} else {
		fmt.Fprintln(w, "| target | from | to | duration | result |\n|---|---|---|---|---|")
	}
	for _, res := range rs {
		result := string(res.Outcome)
		if res.Behind() && r.command == "status" {
			result = "behind"
		}
		if res.Err != nil {
			result += ": " + oneLine(res.Err.Error(), 200)
		}
		from, to, took := versionName(res.From), versionName(res.To), ms(res.Duration)
		if res.Outcome == fleet.Skipped {
			from, to, took = "-", "-", "-"
		}
		target := mdTarget(res.Target)
		if r.command == "status" {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdCell(target), from, to, mdCell(result))
		} else {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", mdCell(target), from, to, took, mdCell(result))
		}
	}
}

// mdTarget is a target's URL as a markdown code span.
func mdTarget(url string) string {
	return "`" + strings.ReplaceAll(printable(url), "`", "'") + "`"
}

// mdCell keeps text inside a table cell: a pipe would end it.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;").Replace(s)
}

func (r *fleetRun) verb() string {
	if r.command == "status" {
		return "answer"
	}
	return "reach the target version"
}

// skew is "0003 ×48, 0001 ×2": the versions of the targets that answered,
// the most common first.
func skew(versions map[string]int) string {
	if len(versions) == 0 {
		return "none"
	}
	vs := make([]string, 0, len(versions))
	for v := range versions {
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool {
		if versions[vs[i]] != versions[vs[j]] {
			return versions[vs[i]] > versions[vs[j]]
		}
		return vs[i] > vs[j]
	})
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s ×%d", versionName(v), versions[v])
	}
	return strings.Join(parts, ", ")
}

// The document of apply and status over a fleet (--format json).
type (
	fleetDocument struct {
		FormatVersion string         `json:"format_version"`
		Kind          string         `json:"kind"`    // "fleet"
		Command       string         `json:"command"` // "apply" or "status"
		Head          string         `json:"head"`
		Summary       fleetSummary   `json:"summary"`
		Versions      map[string]int `json:"versions"`
		Targets       []fleetTarget  `json:"targets"`
		Error         string         `json:"error"`
		ErrorCode     string         `json:"error_code,omitempty"`
	}
	fleetSummary struct {
		Targets int `json:"targets"`
		OK      int `json:"ok"`
		Failed  int `json:"failed"`
		Skipped int `json:"skipped"`
	}
	fleetTarget struct {
		Target     string `json:"target"`
		From       string `json:"from"`
		To         string `json:"to"`
		DurationMS int64  `json:"duration_ms"`
		Result     string `json:"result"` // ok, failed, skipped
		Error      string `json:"error"`
		ErrorCode  string `json:"error_code,omitempty"`
	}
)

func newFleetDocument(command, head string, rs []fleet.Result, versions map[string]int, ok, failed, skipped int, err error) *fleetDocument {
	doc := &fleetDocument{
		FormatVersion: report.JSONFormatVersion, Kind: "fleet", Command: command, Head: head,
		Summary:  fleetSummary{Targets: len(rs), OK: ok, Failed: failed, Skipped: skipped},
		Versions: versions, Targets: make([]fleetTarget, len(rs)),
	}
	for i, r := range rs {
		doc.Targets[i] = newFleetTarget(r)
	}
	if err != nil {
		doc.Error = err.Error()
		doc.ErrorCode = codeFleet
	}
	return doc
}

// newFleetTarget is a target's row of a fleet document.
func newFleetTarget(r fleet.Result) fleetTarget {
	t := fleetTarget{Target: r.Target, From: r.From, To: r.To, DurationMS: r.Duration.Round(time.Millisecond).Milliseconds(), Result: string(r.Outcome)}
	if r.Err != nil {
		t.Error = r.Err.Error()
		t.ErrorCode = codeSkipped
		if r.Outcome == fleet.Failed {
			t.ErrorCode = errorCode(r.Err)
		}
	}
	return t
}
