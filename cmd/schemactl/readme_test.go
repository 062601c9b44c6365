package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeWorkflow runs the README's workflow example, command by
// command, and compares what each prints with what the README shows:
// the front page must not drift from the binary. Timings and
// fingerprints are normalised.
func TestReadmeWorkflow(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps := consoleSteps(t, string(readme), "## The workflow")
	if len(steps) < 4 {
		t.Fatalf("the README's workflow shows %d commands; want plan, cat, apply, downgrade", len(steps))
	}
	heroes := filepath.Join("..", "..", "examples", "heroes")
	v1, err := os.ReadFile(filepath.Join(heroes, "schema.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	power, err := os.ReadFile(filepath.Join(heroes, "schema_power.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	// Where the README starts: the heroes tutorial's first migration
	// applied, and the schema with the power column.
	must := func(args ...string) {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("schemactl %q: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
	if err := os.WriteFile("schema.hcl", v1, 0o644); err != nil {
		t.Fatal(err)
	}
	must("plan", "--url", "sqlite://heroes.db", "--schema", "schema.hcl", "-m", "init_db")
	must("apply", "--url", "sqlite://heroes.db")
	if err := os.WriteFile("schema.hcl", power, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		var got string
		switch st.args[0] {
		case "schemactl":
			var out, errb bytes.Buffer
			if code := run(context.Background(), st.args[1:], &out, &errb); code != 0 {
				t.Fatalf("$ %s: exit %d\n%s%s", strings.Join(st.args, " "), code, out.String(), errb.String())
			}
			got = out.String()
		case "cat":
			data, err := os.ReadFile(st.args[1])
			if err != nil {
				t.Fatal(err)
			}
			got = string(data)
		default:
			t.Fatalf("the README runs %q, which this test does not know", st.args[0])
		}
		if g, w := normalizeOutput(got), normalizeOutput(st.want); g != w {
			t.Errorf("$ %s\nthe README shows:\n%s\nschemactl prints:\n%s", strings.Join(st.args, " "), w, g)
		}
	}
}

type consoleStep struct {
	args []string
	want string
}

// consoleSteps reads the first code block after heading: "$ command" lines
// and the output below each.
func consoleSteps(t *testing.T, doc, heading string) []consoleStep {
	t.Helper()
	_, rest, ok := strings.Cut(doc, heading+"\n")
	if !ok {
		t.Fatalf("no %q in the README", heading)
	}
	_, rest, ok = strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("no code block")
	}
	block, _, _ := strings.Cut(rest, "```\n")
	var steps []consoleStep
	for _, line := range strings.Split(block, "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, consoleStep{args: shellWords(cmd)})
			continue
		}
		if len(steps) > 0 {
			steps[len(steps)-1].want += line + "\n"
		}
	}
	return steps
}

// shellWords splits a command line as a shell would, for the quoting the
// README uses: double quotes.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	inQuote, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, inWord = !inQuote, true
		case r == ' ' && !inQuote:
			if inWord {
				words = append(words, b.String())
				b.Reset()
			}
			inWord = false
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words
}

var (
	timingRE      = regexp.MustCompile(`(?m)\s+(<?[0-9]+(\.[0-9]+)? ?(ms|s|µs))$`)
	fingerprintRE = regexp.MustCompile(`(h[0-9]+):[A-Za-z0-9+/=]+…?`)
)

// normalizeOutput drops what changes from run to run: timings, and
// fingerprints (the README need not be rewritten when normalisation
// rules move; the docs shorten them with an ellipsis), and blank lines
// around.
func normalizeOutput(s string) string {
	s = timingRE.ReplaceAllString(s, " T")
	s = fingerprintRE.ReplaceAllString(s, "$1:…")
	return strings.Trim(s, "\n") + "\n"
}
