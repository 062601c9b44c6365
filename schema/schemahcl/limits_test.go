package schemahcl

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/schemactl/schemactl/dialect/sqlite"
)

func TestTooDeep(t *testing.T) {
	deep := strings.Repeat("[", MaxNesting+1)
	ok := strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting)
	for _, tc := range []struct {
		name string
		src  string
		want int // offset of the error, -1 for none
	}{
		{"brackets", "x = " + deep, 4 + MaxNesting},
		{"braces", strings.Repeat("a {\n", MaxNesting+1), 4*MaxNesting + 2},
		{"at the limit", "x = " + ok, -1},
		{"in a string", `x = "` + deep + `"`, -1},
		{"in a line comment", "# " + deep + "\n// " + deep + "\n", -1},
		{"in a block comment", "/* " + deep + " */", -1},
		{"in a heredoc", "x = <<EOT\n" + deep + "\nEOT\ny = 1\n", -1},
		{"in an indented heredoc", "x = <<-EOT\n" + deep + "\n  EOT\n", -1},
		{"template escape", `x = "` + strings.Repeat("$${", MaxNesting+1) + `"`, -1},
		{"templates in strings", "x = " + strings.Repeat(`"${`, 51), 4 + 3*50},
		{"templates in a heredoc", "x = <<EOT\n" + strings.Repeat("${[", 51) + "\nEOT\n", 10 + 3*49 + 2},
		{"closed and reopened", strings.Repeat("x = "+ok+"\n", 3), -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			off, found := tooDeep([]byte(tc.src))
			switch {
			case tc.want < 0 && found:
				t.Errorf("error at %d, want none", off)
			case tc.want >= 0 && !found:
				t.Errorf("no error, want one at %d", tc.want)
			case found && off != tc.want:
				t.Errorf("error at %d, want %d", off, tc.want)
			}
		})
	}
}

// TestParseHostileInput feeds Parse what used to crash it or take
// gigabytes: each input gets a few diagnostics, none a panic.
func TestParseHostileInput(t *testing.T) {
	printable := make([]byte, MaxWholeParse+1000)
	x := uint32(1)
	for i := range printable {
		x = x*1664525 + 1013904223
		printable[i] = "abc =\n}\"'`;1.,+-*"[(x>>24)%17]
	}
	for _, tc := range []struct {
		name    string
		src     []byte
		summary string
	}{
		{"deep brackets", []byte("table \"t\" {\n  comment = " + strings.Repeat("[", 60000) + "\n}\n"), "Nesting too deep"},
		{"deep parens", []byte("x = " + strings.Repeat("(", 60000)), "Nesting too deep"},
		{"deep templates", []byte("x = " + strings.Repeat(`"${`, 60000)), "Nesting too deep"},
		{"invalid utf-8", append([]byte("schema \"main\" {}\n#"), 0xff, 0xfe), "Invalid character encoding"},
		{"large garbage", printable, "File too large to parse whole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, diags := Parse(Options{Dialect: sqlite.New()}, Source{Filename: "x.hcl", Bytes: tc.src})
			runtime.ReadMemStats(&after)
			if len(diags) != 1 || diags[0].Summary != tc.summary {
				t.Fatalf("diags = %v, want one %q", diags, tc.summary)
			}
			// Parsed whole, garbage costs about 130 bytes per byte.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*uint64(len(tc.src))+1<<20 {
				t.Errorf("allocated %d bytes for %d bytes of input", alloc, len(tc.src))
			}
		})
	}
}

// TestParseLargeFileSyntaxError: a file over MaxWholeParse with an error
// in one block gets that block's diagnostics, at their place in the file.
func TestParseLargeFileSyntaxError(t *testing.T) {
	var b strings.Builder
	b.WriteString("schema \"main\" {}\n")
	for i := 0; b.Len() <= MaxWholeParse; i++ {
		b.WriteString("table \"t" + strings.Repeat("x", 40) + string(rune('a'+i%26)) + "\" {\n  schema = schema.main\n}\n")
		if i == 1000 {
			b.WriteString("table \"bad\" {\n  column \"id\" {\n    type = integer +\n  }\n}\n")
		}
	}
	_, _, diags := Parse(Options{Dialect: sqlite.New()}, Source{Filename: "big.hcl", Bytes: []byte(b.String())})
	if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Start.Line != 1+3*1001+3 {
		t.Fatalf("diags = %v, want a syntax error on line %d", diags, 1+3*1001+3)
	}
}

func TestWriteDiagnosticsCap(t *testing.T) {
	var diags hcl.Diagnostics
	for i := range MaxReported + 7 {
		sev := hcl.DiagError
		if i%2 == 1 {
			sev = hcl.DiagWarning
		}
		diags = append(diags, &hcl.Diagnostic{Severity: sev, Summary: "S"})
	}
	var b strings.Builder
	if err := WriteDiagnostics(&b, Files{}, diags); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != MaxReported+1 || lines[MaxReported] != "… and 7 more (4 errors, 3 warnings)" {
		t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestReadSourceRefuses(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.hcl")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	// Opening a named pipe for reading blocks until a writer comes: it
	// must be refused before it is opened.
	fifo := filepath.Join(t.TempDir(), "pipe.hcl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"/dev/zero", "/dev/zero is not a regular file (a device)"},
		{fifo, "is not a regular file (a named pipe)"},
		{t.TempDir(), "is not a regular file (a directory)"},
		{big, "is larger than 32 MiB; split the schema into several files"},
	} {
		_, err := ReadSource(tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadSource(%s) = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestFormatLargeGarbage: fmt refuses a large file of garbage at its
// first error, without parsing it whole.
func TestFormatLargeGarbage(t *testing.T) {
	src := []byte("x = " + strings.Repeat("a b ", MaxWholeParse/4+10))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, diags := Format("x.hcl", src)
	runtime.ReadMemStats(&after)
	if len(diags) != 1 || diags[0].Summary != "File too large to parse whole" {
		t.Fatalf("diags = %v", diags)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*uint64(len(src)) {
		t.Errorf("allocated %d bytes for %d bytes of input", alloc, len(src))
	}
}
