package safetext

import "testing"

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"add heroes":            "add heroes",
		"héros ✓":               "héros ✓",
		"a\nb":                  `a\nb`,
		"a\r\tb":                `a\r\tb`,
		"\x1b[2Kfake":           `\x1b[2Kfake`,
		"\x00\x7f":              `\x00\x7f`,
		"\u0085\u2028\u202egnp": `\u0085\u2028\u202egnp`,
		"bad\xffbyte":           `bad\xffbyte`,
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := Lines("f.sql:3: no such table\n\tINSERT INTO t\n\tVALUES ('\x1b')\nDatabase is at 0009 (head)."),
		"f.sql:3: no such table\n\tINSERT INTO t\n\tVALUES ('\\x1b')\n  Database is at 0009 (head)."; got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}
