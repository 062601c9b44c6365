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
func WriteDiagnostics(w io.Writer, files Files, diags hcl.Diagnostics) error {
	sorted := append(hcl.Diagnostics(nil), diags...)
	sortDiagnostics(sorted)
	var b strings.Builder
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

// writeSnippet writes the source line of rng with its number and a caret
// line under the range (to the end of the line when the range goes on).
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
	line := strings.TrimRight(string(src[lineStart:lineEnd]), "\r")
	end := min(max(rng.End.Byte, start), lineStart+len(line))
	if !utf8.Valid([]byte(line)) {
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	num := fmt.Sprint(rng.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s | %s\n", num, line)

	var marker strings.Builder
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
