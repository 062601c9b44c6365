package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/planner/lint"
)

// TestPrinterGolden pins the three formats of a plan with every kind of
// change and finding, and of a lint report.
func TestPrinterGolden(t *testing.T) {
	p, err := lint.New(everythingCurrent(), everythingDesired(), lintDialect{Rebuild: true}, lint.Options{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	info := PlanInfo{Target: "sqlite://app.db", Current: "0003", Head: "0003", Fingerprint: "h1:abc=", File: "migrations/0004_everything.sql"}
	report := &LintReport{
		Dir:   "migrations",
		Dev:   "sqlite://file?mode=memory",
		Files: []string{"migrations/0004_x.sql"},
		Findings: []lint.Finding{
			{Code: "DS103", Severity: lint.SeverityError, Table: "hero", Message: `drop column "power" of table "hero"`, Fix: "keep it", File: "migrations/0004_x.sql", Line: 5},
			{Code: "MF101", Severity: lint.SeverityWarning, Table: "hero", Message: `add unique index "a|b" (name) to table "hero"`, Fix: "SELECT name, COUNT(*) …", File: "migrations/0004_x.sql", Line: 9},
		},
	}
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			pr := Printer{Format: f}
			if err := pr.Plan(&b, p, info); err != nil {
				t.Fatal(err)
			}
			b.WriteString("\n==== lint ====\n\n")
			if err := pr.Lint(&b, report); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "report_everything."+string(f)), b.Bytes())
		})
	}
}

func TestPlanJSONDocument(t *testing.T) {
	p, err := lint.New(everythingCurrent(), everythingDesired(), fakeDialect{}, lint.Options{})
	if err == nil {
		t.Fatal("want a refusal")
	}
	var b bytes.Buffer
	if err := (Printer{Format: FormatJSON}).Plan(&b, p, PlanInfo{Target: "t", Error: err.Error()}); err != nil {
		t.Fatal(err)
	}
	var doc PlanDocument
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion != JSONFormatVersion || doc.Kind != "plan" || doc.Error == "" || doc.File != "" {
		t.Errorf("document head = %+v", doc)
	}
	if doc.Summary.Errors != len(p.Destructive) || doc.Summary.Errors+doc.Summary.Warnings != len(doc.Findings) {
		t.Errorf("summary %+v for %d findings", doc.Summary, len(doc.Findings))
	}
	if len(doc.Up) != len(p.Up) || len(doc.Down) != len(p.Down) || len(doc.Changes) == 0 {
		t.Errorf("document has %d up, %d down, %d changes", len(doc.Up), len(doc.Down), len(doc.Changes))
	}
}

func TestTextColour(t *testing.T) {
	p, err := lint.New(realm(hero(), team()), realm(hero(), simple("mission")), fakeDialect{}, lint.Options{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	var plain, colour bytes.Buffer
	if err := (Printer{}).Plan(&plain, p, PlanInfo{Target: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := (Printer{Color: true}).Plan(&colour, p, PlanInfo{Target: "x"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("plain text has escapes:\n%q", plain.String())
	}
	for _, want := range []string{ansiGreen + "+" + ansiReset + " table mission", ansiRed + "-" + ansiReset + " table team", ansiRed + "error  " + ansiReset} {
		if !strings.Contains(colour.String(), want) {
			t.Errorf("coloured text lacks %q:\n%q", want, colour.String())
		}
	}
	if strip(colour.String()) != plain.String() {
		t.Errorf("colour changes the text:\n%s\nvs\n%s", strip(colour.String()), plain.String())
	}
	// Markdown and json never have colour.
	var md bytes.Buffer
	if err := (Printer{Format: FormatMarkdown, Color: true}).Plan(&md, p, PlanInfo{}); err != nil || strings.Contains(md.String(), "\x1b[") {
		t.Errorf("markdown: %v, escapes: %v", err, strings.Contains(md.String(), "\x1b["))
	}
}

func strip(s string) string {
	for _, c := range []string{ansiReset, ansiBold, ansiRed, ansiGreen, ansiYellow} {
		s = strings.ReplaceAll(s, c, "")
	}
	return s
}

func TestMarkdownEscapes(t *testing.T) {
	tests := map[string]string{
		"a|b":        `a\|b`,
		"x_y *z*":    `x\_y \*z\*`,
		"<script>":   `\<script\>`,
		"`tick`":     "\\`tick\\`",
		"[link](u)#": `\[link\](u)\#`,
	}
	for in, want := range tests {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := codeSpan("a`b"); got != "``a`b``" {
		t.Errorf("codeSpan = %q", got)
	}
	if got := codeSpan("`x"); got != "`` `x ``" {
		t.Errorf("codeSpan = %q", got)
	}
	if got := cell("`a|b`"); got != "`a\\|b`" {
		t.Errorf("cell = %q", got)
	}
	if got := codeFence("x ``` y"); got != "````" {
		t.Errorf("codeFence = %q", got)
	}
}
