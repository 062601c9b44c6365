// Package safetext escapes text that comes from files, the command line or
// a database before a terminal, a log or a report shows it, so that it can
// never pass for a line of schemactl's own output.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line escapes what a terminal would not show as itself in text that
// comes from files or the command line (migration names, statements, file
// names, errors that quote them): control characters, since a newline
// could fake a line of output ("Database is at 0009 (head).") and an
// escape sequence could erase one; Unicode's line separators and
// direction overrides, which reorder what is shown; and bytes that are not
// UTF-8. They are written as Go escapes: \n, \x1b, \u202e.
func Line(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r < 0x20 || r == 0x7f || hidden(r) {
			return true
		}
		i += size
	}
	return false
}

// hidden reports the runes besides ASCII controls that change what a
// terminal shows around them: C1 controls, line and paragraph
// separators, and the bidirectional formatting characters.
func hidden(r rune) bool {
	switch {
	case 0x80 <= r && r < 0xa0,
		r == 0x061c, r == 0x200e, r == 0x200f,
		r == 0x2028, r == 0x2029,
		0x202a <= r && r <= 0x202e,
		0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

// Lines is Line for a message of several lines, such as an
// error that shows a statement below it: the newlines stay, but every
// line after the first is indented, so that no line of it can pass for a
// line of schemactl's own output.
func Lines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if i == 0 {
			lines[i] = Line(l)
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, "\t "))
		rest := Line(l[indent:])
		if indent == 0 && rest != "" {
			lines[i] = "  " + rest
		} else {
			lines[i] = l[:indent] + rest
		}
	}
	return strings.Join(lines, "\n")
}
