package schemahcl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Limits on input, so that no file can crash the process or take memory
// out of proportion to what a schema needs. hcl's parser recurses once or
// more per nesting level with no limit of its own (60,000 nested "[" overflow
// the Go stack), and its lexer holds about 115 bytes per token of a file
// parsed whole, so both the depth and the size are checked before hcl sees
// a byte.
const (
	// MaxFileSize is the largest schema file read: a generated schema
	// of 10,000 tables is about 18 MB. Larger schemas can be split into
	// several files.
	MaxFileSize = 32 << 20
	// MaxNesting is the deepest nesting of brackets, braces, parentheses,
	// strings and template sequences accepted; a schema needs fewer than
	// ten.
	MaxNesting = 100
	// MaxReported is how many diagnostics WriteDiagnostics prints before
	// it summarises the rest.
	MaxReported = 20
)

// ReadSource reads one schema file. It refuses what is not a regular file
// (a device such as /dev/zero would never end) and a file larger than
// MaxFileSize, reading at most one byte more than that in case the file
// grows while it is read.
func ReadSource(name string) ([]byte, error) {
	// Checked before opening too: opening a named pipe blocks until
	// something writes to it.
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, describeMode(st.Mode()))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, describeMode(st.Mode()))
	}
	if st.Size() > MaxFileSize {
		return nil, tooLarge(name)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > MaxFileSize {
		return nil, tooLarge(name)
	}
	return b, nil
}

func tooLarge(name string) error {
	return fmt.Errorf("%s is larger than %d MiB; split the schema into several files", name, MaxFileSize>>20)
}

func describeMode(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// checkSource reports the first reason src cannot be handed to hcl's
// parser safely: larger than MaxFileSize, not UTF-8 (hcl refuses it too,
// but only after lexing the whole file, with one diagnostic per bad byte),
// or nested deeper than MaxNesting. It is one pass over the bytes with a
// stack of at most MaxNesting entries.
func checkSource(filename string, src []byte) hcl.Diagnostics {
	if len(src) > MaxFileSize {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "File too large",
			Detail:   tooLarge(filename).Error(),
		}}
	}
	if off, ok := invalidUTF8(src); ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid character encoding",
			Detail:   "a schema file must be UTF-8 text; this byte is not",
			Subject:  rangeAt(filename, src, off),
		}}
	}
	if off, ok := tooDeep(src); ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail:   fmt.Sprintf("more than %d levels of nested brackets, braces, parentheses or templates", MaxNesting),
			Subject:  rangeAt(filename, src, off),
		}}
	}
	return nil
}

func invalidUTF8(src []byte) (int, bool) {
	if utf8.Valid(src) {
		return 0, false
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return i, true
		}
		i += n
	}
	return 0, false
}

// rangeAt is the one-character range at byte off of src.
func rangeAt(filename string, src []byte, off int) *hcl.Range {
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	col := 1 + utf8.RuneCount(src[lineStart:off])
	pos := hcl.Pos{Line: line, Column: col, Byte: off}
	end := pos
	if off < len(src) {
		_, n := utf8.DecodeRune(src[off:])
		end = hcl.Pos{Line: line, Column: col + 1, Byte: off + n}
	}
	return &hcl.Range{Filename: filename, Start: pos, End: end}
}

// Frames of tooDeep's stack: what the scanner is inside of.
const (
	inBracket  = iota // ( [ { in an expression or body
	inTemplate        // ${ or %{ inside a string or heredoc
	inString          // "…"
	inHeredoc         // <<ID … ID
)

type frame struct {
	kind int
	term []byte // a heredoc's closing identifier
}

// tooDeep returns the offset at which src nests deeper than MaxNesting. It
// follows HCL's lexical structure: comments, quoted strings with their
// escapes, heredocs and template sequences, so that brackets inside a
// string or comment do not count. Where src is malformed it goes on as
// best it can; hcl's parser reports the error.
func tooDeep(src []byte) (int, bool) {
	var stack []frame
	push := func(f frame) bool {
		stack = append(stack, f)
		return len(stack) > MaxNesting
	}
	top := func() int {
		if len(stack) == 0 {
			return inBracket
		}
		return stack[len(stack)-1].kind
	}
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		atLineStart := lineStart
		lineStart = c == '\n'
		switch top() {
		case inString:
			switch {
			case c == '\\':
				i++
			case c == '"' || c == '\n':
				stack = stack[:len(stack)-1]
			case isTemplateStart(src, i):
				if push(frame{kind: inTemplate}) {
					return i, true
				}
				i++
			case isTemplateEscape(src, i):
				i += 2
			}
			continue
		case inHeredoc:
			if atLineStart {
				end := bytes.IndexByte(src[i:], '\n')
				if end < 0 {
					end = len(src) - i
				}
				if bytes.Equal(bytes.TrimSpace(src[i:i+end]), stack[len(stack)-1].term) {
					stack = stack[:len(stack)-1]
					i += end - 1
					continue
				}
			}
			switch {
			case isTemplateStart(src, i):
				if push(frame{kind: inTemplate}) {
					return i, true
				}
				i++
			case isTemplateEscape(src, i):
				i += 2
			}
			continue
		}
		// An expression or a body.
		switch {
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			n := bytes.Index(src[i+2:], []byte("*/"))
			if n < 0 {
				return 0, false
			}
			lineStart = false
			i += n + 3
		case c == '"':
			if push(frame{kind: inString}) {
				return i, true
			}
		case c == '<' && i+1 < len(src) && src[i+1] == '<':
			j := i + 2
			if j < len(src) && src[j] == '-' {
				j++
			}
			k := j
			for k < len(src) && isIdentByte(src[k]) {
				k++
			}
			if k == j {
				continue
			}
			if push(frame{kind: inHeredoc, term: src[j:k]}) {
				return i, true
			}
			// The heredoc's text starts on the next line.
			for k < len(src) && src[k] != '\n' {
				k++
			}
			i = k
			lineStart = true
		case c == '(' || c == '[' || c == '{':
			if push(frame{kind: inBracket}) {
				return i, true
			}
		case c == ')' || c == ']' || c == '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return 0, false
}

func isTemplateStart(src []byte, i int) bool {
	return (src[i] == '$' || src[i] == '%') && i+1 < len(src) && src[i+1] == '{'
}

// isTemplateEscape is $${ or %%{, a literal ${ or %{.
func isTemplateEscape(src []byte, i int) bool {
	return (src[i] == '$' || src[i] == '%') && i+2 < len(src) && src[i+1] == src[i] && src[i+2] == '{'
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// MaxWholeParse is the largest file hcl parses whole. Larger files are
// parsed one top-level block at a time (see parseBlocks), so that memory
// follows the largest block, not the file: parsed whole, a file costs
// about 130 times its size (2.6 GB for 20 MB of garbage).
const MaxWholeParse = 2 << 20

// largeFileDiags reports why a file over MaxWholeParse, which parseBlocks
// did not take, cannot be parsed block by block. It always reports an
// error.
func largeFileDiags(filename string, src []byte) hcl.Diagnostics {
	if diags := checkBlocks(filename, src); diags.HasErrors() {
		return diags
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "File too large to parse whole",
		Detail:   fmt.Sprintf("a file over %d MiB must split into top-level blocks that parse alone; split the file", MaxWholeParse>>20),
		Subject:  rangeAt(filename, src, 0),
	}}
}

// checkBlocks checks the syntax of a large file one top-level block at a
// time, none over MaxWholeParse, and reports where it stops splitting into
// blocks or the syntax errors of the first block that does not parse
// alone; nothing when every block parses.
func checkBlocks(filename string, src []byte) hcl.Diagnostics {
	ends, at, ok := blockEnds(src)
	if !ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "File too large to parse whole",
			Detail: fmt.Sprintf("a file over %d MiB is parsed one top-level block at a time, and here it does not split into blocks "+
				"(a heredoc, a template sequence, an unterminated string or comment, unbalanced braces, or text after a closing brace); "+
				"fix the syntax here or split the file", MaxWholeParse>>20),
			Subject: rangeAt(filename, src, min(at, len(src))),
		}}
	}
	start := hcl.InitialPos
	for _, end := range ends {
		if end-start.Byte > MaxWholeParse {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Block too large",
				Detail:   fmt.Sprintf("a top-level block over %d MiB is not parsed; split it", MaxWholeParse>>20),
				Subject:  rangeAt(filename, src, start.Byte),
			}}
		}
		f, diags := hclsyntax.ParseConfig(src[start.Byte:end], filename, start)
		if diags.HasErrors() {
			return diags
		}
		if b, ok := f.Body.(*hclsyntax.Body); ok {
			for _, a := range b.Attributes {
				return hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Unsupported argument",
					Detail:   "a schema file holds blocks only",
					Subject:  a.NameRange.Ptr(),
				}}
			}
		}
		start = hcl.Pos{Line: start.Line + bytes.Count(src[start.Byte:end], []byte{'\n'}), Column: 1, Byte: end}
	}
	return nil
}
