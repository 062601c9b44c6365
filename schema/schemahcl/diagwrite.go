package schemahcl

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// WriteDiagnostics prints diagnostics sorted by file, line and column, each
// as
//
//	file:line:col: error: <Summary>: <Detail>
//
// ("warning:" for warnings), followed by the numbered source line and a
// caret line under the subject range. Only the Bytes of files are used.
// hcl's own writer underlines only in colour, so the caret is drawn here.
// After MaxReported diagnostics the rest are counted, not printed: a file
// of garbage has an error at almost every byte.
func WriteDiagnostics(w io.Writer, files Files, diags hcl.Diagnostics) error {
	sorted := append(hcl.Diagnostics(nil), diags...)
	sortDiagnostics(sorted)
	var b strings.Builder
	if len(sorted) > MaxReported {
		defer func(rest hcl.Diagnostics) {
			errs := 0
			for _, d := range rest {
				if d.Severity == hcl.DiagError {
					errs++
				}
			}
			if errs == len(rest) {
				fmt.Fprintf(w, "… and %d more errors\n", errs)
			} else {
				fmt.Fprintf(w, "… and %d more (%d errors, %d warnings)\n", len(rest), errs, len(rest)-errs)
			}
		}(sorted[MaxReported:])
		sorted = sorted[:MaxReported]
	}
	for _, d := range sorted {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		msg := oneLine(d.Summary)
		if d.Detail != "" {
			msg += ": " + oneLine(d.Detail)
		}
		if d.Subject == nil {
			fmt.Fprintf(&b, "%s: %s\n", sev, msg)
			continue
		}
		s := d.Subject
		fmt.Fprintf(&b, "%s:%d:%d: %s: %s\n", s.Filename, s.Start.Line, s.Start.Column, sev, msg)
		if f := files[s.Filename]; f != nil {
			writeSnippet(&b, f.Bytes, *s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// snippetContext is how many bytes of a long line are shown on either
// side of a diagnostic's start: a minified or generated file can be one
// line of megabytes.
const snippetContext = 80

// writeSnippet writes the source line of rng with its number and a caret
// line under the range (to the end of the line when the range goes on).
// A long line is cut around the range, the cuts marked "…".
func writeSnippet(b *strings.Builder, src []byte, rng hcl.Range) {
	start := rng.Start.Byte
	if start < 0 || start > len(src) {
		return
	}
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	lineEnd := len(src)
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		lineEnd = start + i
	}
	var before, after string
	if start-lineStart > snippetContext {
		lineStart = runeStart(src, start-snippetContext)
		before = "…"
	}
	if lineEnd-start > 2*snippetContext {
		lineEnd = runeStart(src, start+2*snippetContext)
		after = "…"
	}
	line := strings.TrimRight(string(src[lineStart:lineEnd]), "\r")
	end := min(max(rng.End.Byte, start), lineStart+len(line))
	if !utf8.Valid([]byte(line)) {
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	num := fmt.Sprint(rng.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s | %s%s%s\n", num, before, line, after)

	var marker strings.Builder
	if before != "" {
		marker.WriteByte(' ')
	}
	for _, r := range string(src[lineStart:min(start, lineStart+len(line))]) {
		if r == '\t' {
			marker.WriteByte('\t')
		} else {
			marker.WriteByte(' ')
		}
	}
	width := 1
	if end > start {
		width = max(utf8.RuneCount(src[start:end]), 1)
	}
	marker.WriteString(strings.Repeat("^", width))
	fmt.Fprintf(b, "  %s | %s\n", pad, marker.String())
}

// runeStart moves i back to the start of the UTF-8 sequence it is in.
func runeStart(src []byte, i int) int {
	for j := 0; j < utf8.UTFMax && i > 0 && !utf8.RuneStart(src[i]); j++ {
		i--
	}
	return i
}
