package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The json documents of plan and lint as the README documents them
// ("JSON output"). These are written here, not taken from the planner, so
// that a change to the planner's types that breaks the documented shape
// fails this test.
type docPlan struct {
	FormatVersion string       `json:"format_version"`
	Kind          string       `json:"kind"`
	Target        string       `json:"target"`
	Dev           bool         `json:"dev"`
	Current       string       `json:"current"`
	Head          string       `json:"head"`
	Fingerprint   string       `json:"fingerprint"`
	Summary       docSummary   `json:"summary"`
	Changes       []docChange  `json:"changes"`
	Up            []docStmt    `json:"up"`
	Down          []docStmt    `json:"down"`
	Findings      []docFinding `json:"findings"`
	Notes         []string     `json:"notes"`
	File          string       `json:"file"`
	Error         string       `json:"error"`
	ErrorCode     string       `json:"error_code,omitempty"`
}

// docFleet is apply and status over a fleet (docs/scaling.md).
type docFleet struct {
	FormatVersion string           `json:"format_version"`
	Kind          string           `json:"kind"`
	Command       string           `json:"command"`
	Head          string           `json:"head"`
	Summary       docFleetSum      `json:"summary"`
	Versions      map[string]int   `json:"versions"`
	Targets       []docFleetTarget `json:"targets"`
	Error         string           `json:"error"`
	ErrorCode     string           `json:"error_code,omitempty"`
}

// docFleetPlan is plan --dry-run over a fleet: the fleet document with
// a plan number a target, and the distinct plans.
type docFleetPlan struct {
	FormatVersion string          `json:"format_version"`
	Kind          string          `json:"kind"`
	Command       string          `json:"command"`
	Head          string          `json:"head"`
	Summary       docFleetPlanSum `json:"summary"`
	Versions      map[string]int  `json:"versions"`
	Targets       []struct {
		docFleetTarget
		Plan int `json:"plan"`
	} `json:"targets"`
	Plans     []docPlan `json:"plans"`
	Error     string    `json:"error"`
	ErrorCode string    `json:"error_code,omitempty"`
}

type docFleetPlanSum struct {
	Targets int `json:"targets"`
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	InSync  int `json:"in_sync"`
	Changed int `json:"changed"`
	Refused int `json:"refused"`
	Plans   int `json:"plans"`
}

// checkFleetPlanDoc checks that the counts of a fleet plan hang together
// with its targets and plans, and each plan as a plan document.
func checkFleetPlanDoc(d *docFleetPlan) []string {
	var problems []string
	s := d.Summary
	if d.Kind != "fleet" || d.Command != "plan" {
		problems = append(problems, fmt.Sprintf("kind %q, command %q", d.Kind, d.Command))
	}
	if s.Targets != len(d.Targets) || s.Plans != len(d.Plans) || s.OK+s.Failed+s.Skipped != s.Targets ||
		s.InSync+s.Changed != s.OK || s.Refused > s.Failed {
		problems = append(problems, fmt.Sprintf("summary %+v does not add up with %d targets, %d plans", s, len(d.Targets), len(d.Plans)))
	}
	changed := 0
	for _, t := range d.Targets {
		if t.Plan < 0 || t.Plan > len(d.Plans) {
			problems = append(problems, fmt.Sprintf("target %s: plan %d of %d", t.Target, t.Plan, len(d.Plans)))
		}
		if t.Plan > 0 {
			changed++
		}
	}
	if changed != s.Changed+s.Refused {
		problems = append(problems, fmt.Sprintf("%d targets have a plan, summary says %d changed and %d refused", changed, s.Changed, s.Refused))
	}
	for i := range d.Plans {
		problems = append(problems, checkPlanDoc(&d.Plans[i])...)
	}
	return problems
}

type docFleetTarget struct {
	Target     string `json:"target"`
	From       string `json:"from"`
	To         string `json:"to"`
	DurationMS int64  `json:"duration_ms"`
	Result     string `json:"result"`
	Error      string `json:"error"`
	ErrorCode  string `json:"error_code,omitempty"`
}

type docFleetSum struct {
	Targets int `json:"targets"`
	OK      int `json:"ok"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

type docSummary struct {
	Add      int        `json:"add"`
	Change   int        `json:"change"`
	Destroy  int        `json:"destroy"`
	Errors   int        `json:"errors"`
	Warnings int        `json:"warnings"`
	Dropped  docDropped `json:"dropped"`
}

type docDropped struct {
	Columns     int `json:"columns"`
	Indexes     int `json:"indexes"`
	ForeignKeys int `json:"foreign_keys"`
	Checks      int `json:"checks"`
	PrimaryKeys int `json:"primary_keys"`
}

type docChange struct {
	Action      string   `json:"action"`
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	RenamedFrom string   `json:"renamed_from"`
	Details     []string `json:"details"`
	// Algorithm: plan on MySQL/MariaDB, changed tables only.
	Algorithm *docAlgorithm `json:"algorithm"`
}

type docAlgorithm struct {
	Server       string  `json:"server"`
	Algorithm    string  `json:"algorithm"`
	BlocksWrites bool    `json:"blocks_writes"`
	Rows         int64   `json:"rows"`
	DataBytes    int64   `json:"data_bytes"`
	CopySeconds  float64 `json:"copy_seconds"`
	Summary      string  `json:"summary"`
}

type docStmt struct {
	Comment string `json:"comment"`
	SQL     string `json:"sql"`
}

type docFinding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Table    string `json:"table"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Silenced bool   `json:"silenced"`
	Reason   string `json:"reason"`
}

type docLint struct {
	FormatVersion string         `json:"format_version"`
	Kind          string         `json:"kind"`
	Dir           string         `json:"dir"`
	Dev           string         `json:"dev"`
	Files         []string       `json:"files"`
	Summary       docLintSummary `json:"summary"`
	Findings      []docFinding   `json:"findings"`
	Changes       []docFileChg   `json:"changes"`
}

type docFileChg struct {
	File         string      `json:"file"`
	Up           []docChange `json:"up"`
	Down         []docChange `json:"down"`
	Irreversible bool        `json:"irreversible"`
	DownUnread   string      `json:"down_unread"`
}

type docLintSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// The documents of status, history, stamp, and of any command asked for
// json that failed before it printed one.
type docStatus struct {
	FormatVersion string        `json:"format_version"`
	Kind          string        `json:"kind"`
	Target        string        `json:"target"`
	Dir           string        `json:"dir"`
	Current       string        `json:"current"`
	Head          string        `json:"head"`
	Migrations    int           `json:"migrations"`
	Unknown       bool          `json:"unknown"`
	State         string        `json:"state"`
	Pending       []docMig      `json:"pending"`
	Checksum      string        `json:"checksum_error"`
	Edited        []docEdit     `json:"edited"`
	NotPinned     []string      `json:"not_pinned"`
	LastFailure   *docFailure   `json:"last_failure"`
	Drift         docDriftState `json:"drift"`
}

type docMig struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Revises string `json:"revises"`
}

type docEdit struct {
	Version   string `json:"version"`
	File      string `json:"file"`
	What      string `json:"what"`
	MovedTo   string `json:"moved_to"`
	AppliedAt string `json:"applied_at"`
}

type docFailure struct {
	Version        string `json:"version"`
	Direction      string `json:"direction"`
	File           string `json:"file"`
	Error          string `json:"error"`
	ErrorStatement int    `json:"error_statement"`
	Done           int    `json:"statements_done"`
	Total          int    `json:"statements_total"`
	Partial        bool   `json:"partial"`
	Interrupted    bool   `json:"interrupted"`
}

type docDriftState struct {
	Checked bool   `json:"checked"`
	Found   bool   `json:"found"`
	Message string `json:"message"`
}

type docHistory struct {
	FormatVersion string          `json:"format_version"`
	Kind          string          `json:"kind"`
	Dir           string          `json:"dir"`
	Head          string          `json:"head"`
	Current       *string         `json:"current"`
	Migrations    []docHistoryMig `json:"migrations"`
}

type docHistoryMig struct {
	Version string `json:"version"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Revises string `json:"revises"`
	Current bool   `json:"current"`
}

type docStamp struct {
	FormatVersion string `json:"format_version"`
	Kind          string `json:"kind"`
	Target        string `json:"target"`
	Version       string `json:"version"`
}

type docError struct {
	FormatVersion string `json:"format_version"`
	Kind          string `json:"kind"`
	Error         string `json:"error"`
	ErrorCode     string `json:"error_code"`
}

// The document of apply and downgrade.
type docMigrate struct {
	FormatVersion     string          `json:"format_version"`
	Kind              string          `json:"kind"`
	Target            string          `json:"target"`
	Dir               string          `json:"dir"`
	From              *string         `json:"from"`
	To                *string         `json:"to"`
	DryRun            bool            `json:"dry_run"`
	Ahead             bool            `json:"ahead"`
	Migrations        []docMigRun     `json:"migrations"`
	Statements        int             `json:"statements"`
	Resume            *docResume      `json:"resume"`
	PreflightWarnings []docPreflightW `json:"preflight_warnings"`
	DoubtsResolved    []docDoubt      `json:"doubts_resolved"`
	AcceptedEdits     []docAccepted   `json:"accepted_edits"`
	Notes             []string        `json:"notes"`
	Error             string          `json:"error"`
	ErrorCode         string          `json:"error_code"`
}

type docMigRun struct {
	Version          string   `json:"version"`
	Name             string   `json:"name"`
	File             string   `json:"file"`
	Direction        string   `json:"direction"`
	Status           string   `json:"status"`
	ResumedAfter     int      `json:"resumed_after"`
	Statements       int      `json:"statements"`
	FailedStatement  int      `json:"failed_statement"`
	RolledBack       bool     `json:"rolled_back"`
	DurationMS       int64    `json:"duration_ms"`
	SQL              []string `json:"sql"`
	Online           bool     `json:"online"`
	OnlineStatements []struct {
		Statement    int    `json:"statement"`
		Online       bool   `json:"online"`
		Why          string `json:"why"`
		DecidedAtRun bool   `json:"decided_at_run"`
	} `json:"online_statements"`
}

type docResume struct {
	Version  string `json:"version"`
	File     string `json:"file"`
	Done     int    `json:"statements_done"`
	Total    int    `json:"statements_total"`
	InDoubt  int    `json:"in_doubt"`
	Decision string `json:"decision"`
	Why      string `json:"why"`
}

type docPreflightW struct {
	Version   string `json:"version"`
	File      string `json:"file"`
	Statement int    `json:"statement"`
	Problem   string `json:"problem"`
	Sample    string `json:"sample"`
}

type docDoubt struct {
	Version    string `json:"version"`
	File       string `json:"file"`
	Statement  int    `json:"statement"`
	TookEffect bool   `json:"took_effect"`
	Why        string `json:"why"`
}

type docAccepted struct {
	Version string `json:"version"`
	File    string `json:"file"`
	What    string `json:"what"`
}

var codeRE = regexp.MustCompile(`^(DS|MF|BC|RN|HZ|NL|OL)[0-9]{3}$`)

// cmdJSONShape checks a json document against its documented shape:
// jsonshape plan|lint FILE. Every documented field must be present (no
// more, no fewer, of the right json type), format_version is "1", and the
// values must hang together (summary counts, codes, severities).
func cmdJSONShape(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonshape plan|lint|status|fleet|fleetplan|history|stamp|apply|downgrade|error FILE")
	}
	data, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	var problems []string
	switch args[0] {
	case "plan":
		var d docPlan
		problems = decodeStrict(data, &d)
		if problems == nil {
			problems = checkPlanDoc(&d)
		}
	case "lint":
		var d docLint
		problems = decodeStrict(data, &d)
		if problems == nil {
			problems = checkLintDoc(&d)
		}
	case "status":
		var d docStatus
		problems = decodeStrict(data, &d)
		if problems == nil && (d.Kind != "status" || !slices.Contains([]string{"up_to_date", "pending", "needs_human"}, d.State)) {
			problems = []string{fmt.Sprintf("kind %q, state %q", d.Kind, d.State)}
		}
	case "fleet":
		var d docFleet
		problems = decodeStrict(data, &d)
		if problems == nil && (d.Kind != "fleet" || d.Summary.Targets != len(d.Targets)) {
			problems = []string{fmt.Sprintf("kind %q, %d targets listed, summary says %d", d.Kind, len(d.Targets), d.Summary.Targets)}
		}
	case "fleetplan": // plan --dry-run over a fleet
		var d docFleetPlan
		problems = decodeStrict(data, &d)
		if problems == nil {
			problems = checkFleetPlanDoc(&d)
		}
	case "history":
		var d docHistory
		problems = decodeStrict(data, &d)
	case "stamp":
		var d docStamp
		problems = decodeStrict(data, &d)
	case "apply", "downgrade":
		var d docMigrate
		problems = decodeStrict(data, &d)
		if problems == nil {
			problems = checkMigrateDoc(&d, args[0])
		}
	case "error":
		var d docError
		problems = decodeStrict(data, &d)
		if problems == nil && (d.Error == "" || d.ErrorCode == "") {
			problems = []string{"an error document without error or error_code"}
		}
	default:
		ts.Fatalf("jsonshape: unknown document kind %q", args[0])
	}
	if len(problems) > 0 {
		ts.Fatalf("jsonshape %s %s:\n  %s", args[0], args[1], strings.Join(problems, "\n  "))
	}
}

// decodeStrict decodes data into v, refusing unknown fields, and checks
// that every field of v's json shape is present in data.
func decodeStrict(data []byte, v any) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return []string{err.Error()}
	}
	if dec.More() {
		return []string{"more than one json value"}
	}
	// Round-trip v to learn the documented keys, and compare with the
	// keys the document has.
	want, _ := json.Marshal(v)
	var wantTree, gotTree any
	_ = json.Unmarshal(want, &wantTree)
	_ = json.Unmarshal(data, &gotTree)
	var missing []string
	missingKeys("", wantTree, gotTree, &missing)
	return missing
}

func missingKeys(path string, want, got any, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: not an object", path))
			return
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				*out = append(*out, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			missingKeys(path+"."+k, wv, gv, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: not an array (null?)", path))
			return
		}
		for i := range min(len(w), len(g)) {
			missingKeys(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
	}
}

func checkPlanDoc(d *docPlan) []string {
	var p []string
	check := func(ok bool, format string, args ...any) {
		if !ok {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	check(d.FormatVersion == "1", "format_version = %q, want \"1\"", d.FormatVersion)
	check(d.Kind == "plan", "kind = %q, want \"plan\"", d.Kind)
	check(d.Target != "", "target is empty")
	check(strings.HasPrefix(d.Fingerprint, "h2:"), "fingerprint = %q, want h2:…", d.Fingerprint)
	for _, c := range d.Changes {
		check(slices.Contains([]string{"add", "change", "destroy"}, c.Action), "change %q: action %q", c.Name, c.Action)
		check(c.Kind == "table" || c.Kind == "schema", "change %q: kind %q", c.Name, c.Kind)
		check(c.Name != "", "a change has no name")
		for _, l := range c.Details {
			check(l != "" && strings.ContainsAny(l[:1], "+~-"), "change %q: detail %q does not start with + ~ -", c.Name, l)
		}
	}
	check(len(d.Changes) == 0 || len(d.Up) > 0, "changes but no up statements")
	for _, s := range append(slices.Clone(d.Up), d.Down...) {
		check(s.SQL != "" && !strings.HasSuffix(s.SQL, ";"), "statement %q: empty or ends in ;", s.SQL)
	}
	p = append(p, checkFindings(d.Findings, d.Summary.Errors, d.Summary.Warnings, false)...)
	return p
}

func checkMigrateDoc(d *docMigrate, kind string) []string {
	var p []string
	check := func(ok bool, format string, args ...any) {
		if !ok {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	check(d.FormatVersion == "1", "format_version = %q, want \"1\"", d.FormatVersion)
	check(d.Kind == kind, "kind = %q, want %q", d.Kind, kind)
	check((d.Error == "") == (d.ErrorCode == ""), "error %q with error_code %q", d.Error, d.ErrorCode)
	check(d.Error != "" || d.From != nil && d.To != nil && d.Target != "" && d.Dir != "", "a success without from, to, target or dir")
	dir := "up"
	if kind == "downgrade" {
		dir = "down"
	}
	total := 0
	for _, m := range d.Migrations {
		check(m.Direction == dir, "migration %s: direction %q", m.Version, m.Direction)
		check(m.Statements == len(m.SQL), "migration %s: statements %d, sql has %d", m.Version, m.Statements, len(m.SQL))
		check(d.DryRun == (m.Status == "would_run"), "migration %s: status %q with dry_run %v", m.Version, m.Status, d.DryRun)
		check(slices.Contains([]string{"done", "failed", "would_run"}, m.Status), "migration %s: status %q", m.Version, m.Status)
		check((m.FailedStatement > 0) == (m.Status == "failed" && d.ErrorCode == "statement_failed"),
			"migration %s: failed_statement %d with status %q", m.Version, m.FailedStatement, m.Status)
		check(m.Status == "failed" || !m.RolledBack, "migration %s: rolled back but %q", m.Version, m.Status)
		if m.Status == "done" || m.Status == "would_run" || !m.RolledBack {
			total += m.Statements
		}
		for _, s := range m.SQL {
			check(s != "" && !strings.HasSuffix(s, ";"), "statement %q: empty or ends in ;", s)
		}
	}
	check(total == d.Statements, "statements = %d, the migrations have %d", d.Statements, total)
	if r := d.Resume; r != nil {
		check(d.DryRun, "resume without dry_run")
		check(slices.Contains([]string{"", "rerun", "skip", "compare", "refuse"}, r.Decision), "resume decision %q", r.Decision)
		check((r.InDoubt == 0) == (r.Decision == ""), "resume: in_doubt %d with decision %q", r.InDoubt, r.Decision)
		check(r.InDoubt == 0 || r.InDoubt == r.Done+1, "resume: in_doubt %d after %d done", r.InDoubt, r.Done)
		check(len(d.Migrations) > 0 && d.Migrations[0].Version == r.Version, "resume of %s, which is not the first migration", r.Version)
	}
	return p
}

func checkLintDoc(d *docLint) []string {
	var p []string
	check := func(ok bool, format string, args ...any) {
		if !ok {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	check(d.FormatVersion == "1", "format_version = %q, want \"1\"", d.FormatVersion)
	check(d.Kind == "lint", "kind = %q, want \"lint\"", d.Kind)
	check(d.Dir != "" && d.Dev != "", "dir or dev is empty")
	check(d.Summary.Files == len(d.Files), "summary.files = %d, files has %d", d.Summary.Files, len(d.Files))
	p = append(p, checkFindings(d.Findings, d.Summary.Errors, d.Summary.Warnings, true)...)
	return p
}

func checkFindings(fs []docFinding, errs, warns int, positioned bool) []string {
	var p []string
	e, w := 0, 0
	for _, f := range fs {
		switch {
		case f.Severity != "error" && f.Severity != "warning":
		case f.Silenced:
			// Listed, not counted: the summary counts what fails or warns.
		case f.Severity == "error":
			e++
		default:
			w++
		}
		switch f.Severity {
		case "error", "warning":
		default:
			p = append(p, fmt.Sprintf("finding %s: severity %q", f.Code, f.Severity))
		}
		if !codeRE.MatchString(f.Code) {
			p = append(p, fmt.Sprintf("finding code %q", f.Code))
		}
		if f.Message == "" || f.Fix == "" {
			p = append(p, fmt.Sprintf("finding %s: no message or fix", f.Code))
		}
		if positioned && (f.File == "" || f.Line < 1) {
			p = append(p, fmt.Sprintf("finding %s: no file:line", f.Code))
		}
	}
	if e != errs || w != warns {
		p = append(p, fmt.Sprintf("summary says %d errors, %d warnings; findings have %d, %d", errs, warns, e, w))
	}
	return p
}

// TestJSONShapeCatchesChanges makes sure the shape check can fail: a
// missing field, an extra one, a null array and inconsistent counts.
func TestJSONShapeCatchesChanges(t *testing.T) {
	good := `{"format_version":"1","kind":"lint","dir":"m","dev":"d","files":["m/1.sql"],
"summary":{"files":1,"errors":1,"warnings":0},
"findings":[{"code":"DS103","severity":"error","table":"t","message":"m","fix":"f","file":"m/1.sql","line":3,"silenced":false,"reason":""}],
"changes":[{"file":"m/1.sql","up":[{"action":"change","kind":"table","name":"t","renamed_from":"","details":["- column c"],"algorithm":null}],"down":[],"irreversible":false,"down_unread":""}]}`
	check := func(doc string) []string {
		var d docLint
		if p := decodeStrict([]byte(doc), &d); p != nil {
			return p
		}
		return checkLintDoc(&d)
	}
	if p := check(good); p != nil {
		t.Fatalf("good document: %v", p)
	}
	for name, bad := range map[string]string{
		"missing field": strings.Replace(good, `"dev":"d",`, "", 1),
		"extra field":   strings.Replace(good, `"dev":"d",`, `"dev":"d","extra":1,`, 1),
		"null array":    strings.Replace(good, `"files":["m/1.sql"]`, `"files":null`, 1),
		"wrong version": strings.Replace(good, `"format_version":"1"`, `"format_version":"2"`, 1),
		"bad counts":    strings.Replace(good, `"errors":1`, `"errors":0`, 1),
		"bad code":      strings.Replace(good, `"DS103"`, `"X1"`, 1),
		"no line":       strings.Replace(good, `"line":3`, `"line":0`, 1),
		"wrong type":    strings.Replace(good, `"line":3`, `"line":"3"`, 1),
	} {
		if p := check(bad); p == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestJSONShapeCatchesMigrateChanges: the apply/downgrade check fails on
// counts that do not add up and on statuses it does not know.
func TestJSONShapeCatchesMigrateChanges(t *testing.T) {
	good := `{"format_version":"1","kind":"apply","target":"sqlite://a.db","dir":"m","from":"","to":"0001","dry_run":false,"ahead":false,
"migrations":[{"version":"0001","name":"i","file":"0001_i.sql","direction":"up","status":"done","resumed_after":0,"statements":1,
"failed_statement":0,"rolled_back":false,"duration_ms":1,"sql":["CREATE TABLE t (id int)"],"online":false,"online_statements":[]}],
"statements":1,"resume":null,"preflight_warnings":[],"doubts_resolved":[],"accepted_edits":[],"notes":[],"error":"","error_code":""}`
	check := func(doc string) []string {
		var d docMigrate
		if p := decodeStrict([]byte(doc), &d); p != nil {
			return p
		}
		return checkMigrateDoc(&d, "apply")
	}
	if p := check(good); p != nil {
		t.Fatalf("good document: %v", p)
	}
	for name, bad := range map[string]string{
		"bad total":     strings.Replace(good, `"statements":1,"resume"`, `"statements":2,"resume"`, 1),
		"sql count":     strings.Replace(good, `"statements":1,`, `"statements":2,`, 1),
		"bad status":    strings.Replace(good, `"status":"done"`, `"status":"ok"`, 1),
		"dry run":       strings.Replace(good, `"dry_run":false`, `"dry_run":true`, 1),
		"direction":     strings.Replace(good, `"direction":"up"`, `"direction":"down"`, 1),
		"code no error": strings.Replace(good, `"error_code":""`, `"error_code":"x"`, 1),
		"null from":     strings.Replace(good, `"from":""`, `"from":null`, 1),
		"missing field": strings.Replace(good, `"ahead":false,`, "", 1),
	} {
		if p := check(bad); p == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
