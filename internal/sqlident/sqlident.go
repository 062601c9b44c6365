// Package sqlident finds the names a piece of SQL text mentions, for checks
// that only need to know whether a table or column is named: bare words and
// quoted identifiers, with string literals and comments skipped. It is not
// a parser: keywords come along as names, which only matters for names
// spelled like one.
package sqlident

import "strings"

// Names returns the lower-case names sql mentions. Backquoted and
// [bracketed] names count; a "double-quoted" one counts when doubleQuoted is
// set (SQLite, standard SQL), and is a string otherwise (MySQL's default,
// where # also starts a comment).
// Strings may escape quotes by doubling them or with a backslash.
func Names(sql string, doubleQuoted bool) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-', c == '#' && !doubleQuoted:
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return out
			}
			i += end + 3
		case c == '\'' || c == '"' && !doubleQuoted:
			for i++; i < len(sql) && sql[i] != c; i++ {
				if sql[i] == '\\' {
					i++
				}
			}
		case c == '`' || c == '"' || c == '[':
			name, end := quoted(sql, i)
			out[strings.ToLower(name)] = true
			i = end
		case isWord(c):
			j := i
			for j < len(sql) && isWord(sql[j]) {
				j++
			}
			out[strings.ToLower(sql[i:j])] = true
			i = j - 1
		}
	}
	return out
}

// quoted reads the identifier whose opening quote is at sql[i] and returns
// it and the index of its closing quote; a doubled quote stands for one.
func quoted(sql string, i int) (string, int) {
	closing := sql[i]
	if closing == '[' {
		closing = ']'
	}
	var b strings.Builder
	j := i + 1
	for ; j < len(sql); j++ {
		if sql[j] == closing {
			if closing != ']' && j+1 < len(sql) && sql[j+1] == closing {
				b.WriteByte(closing)
				j++
				continue
			}
			break
		}
		b.WriteByte(sql[j])
	}
	return b.String(), j
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
