// Package dburl holds what every database URL shares, whatever its scheme:
// hiding the password of a URL that may not even parse.
package dburl

import (
	"regexp"
	"strings"
)

// schemePrefix is a scheme as RFC 3986 spells it, with the slashes after it.
var schemePrefix = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:/*`)

// Mask replaces a password in Redact's output.
const Mask = "xxxxx"

// Redact hides the password of a URL-like string, even one that does not
// parse, for messages. It reads no URL grammar, because a URL that needs
// redacting is often one whose password broke the grammar (an unencoded
// '/', '#', '?' or '@'): everything after the scheme up to the LAST '@' is
// taken as the user part, and whatever follows the user name's first ':'
// there is masked. That may hide more than the password (an '@' in a query
// parameter), never less. Without an '@', a non-numeric port of a URL that
// has an authority ("mysql://user:secret") is masked too: it is more likely
// a password with the host forgotten than a port.
func Redact(raw string) string {
	start := 0
	if m := schemePrefix.FindStringIndex(raw); m != nil && raw[m[1]-1] == '/' {
		// Without slashes, "u:secret@h" may be a user and a password
		// as well as a scheme.
		start = m[1]
	}
	if at := strings.LastIndex(raw, "@"); at >= start {
		user := raw[start:at]
		if c := strings.IndexByte(user, ':'); c >= 0 {
			return raw[:start] + user[:c] + ":" + Mask + raw[at:]
		}
		return raw
	}
	if !strings.HasSuffix(raw[:start], "//") || fileScheme(raw[:start]) {
		return raw
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	authority := raw[start:end]
	if strings.HasPrefix(authority, "[") {
		// An IPv6 literal, with a port or not.
		if i := strings.IndexByte(authority, ']'); i >= 0 {
			if port, ok := strings.CutPrefix(authority[i+1:], ":"); authority[i+1:] == "" || ok && allDigits(port) {
				return raw
			}
		}
	}
	c := strings.IndexByte(authority, ':')
	if c < 0 || allDigits(authority[c+1:]) {
		return raw
	}
	return raw[:start] + authority[:c] + ":" + Mask + raw[end:]
}

// fileScheme reports whether a scheme prefix ("sqlite://") names a file,
// which has no host, port or password: "sqlite://:memory:" is no password.
func fileScheme(prefix string) bool {
	switch strings.ToLower(strings.TrimRight(prefix, ":/")) {
	case "sqlite", "sqlite3", "file":
		return true
	}
	return false
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
