package dburl

import (
	"strings"
	"testing"
)

// TestRedact: the password is hidden whatever breaks the URL's grammar. The
// passwords are made of words joined by the characters that must be
// percent-encoded; no word may survive.
func TestRedact(t *testing.T) {
	secrets := []string{"Alpha", "Bravo", "Charlie", "Delta"}
	tests := []struct{ raw, want string }{
		{"mysql://u:Alpha@h:3306/db", "mysql://u:xxxxx@h:3306/db"},
		{"mysql://u:4711/Alpha@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql://u:Alpha#Bravo@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql://u:Alpha?Bravo@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql://u:Alpha@Bravo@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql://u:Alpha:Bravo@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql://u:Alpha/Bravo#Charlie?Delta@h/x", "mysql://u:xxxxx@h/x"},
		{"mysql//u:Alpha@h/x", "mysql//u:xxxxx@h/x"},
		{"mysql:/u:Alpha@h/x", "mysql:/u:xxxxx@h/x"},
		{"mysql:u:Alpha@h/x", "mysql:xxxxx@h/x"},
		{"MYSQL://u:Alpha@h/x?tls=true", "MYSQL://u:xxxxx@h/x?tls=true"},
		{"mysql://u:Alpha", "mysql://u:xxxxx"},
		{"mysql://u:Alpha/db", "mysql://u:xxxxx/db"},
		{"postgres://u:Alpha@h/db", "postgres://u:xxxxx@h/db"},
		{"u:Alpha@h/x", "u:xxxxx@h/x"},
		// An '@' in a parameter hides more than the password, never less.
		{"mysql://u:Alpha@h/x?a=b@c", "mysql://u:xxxxx@c"},
		// Nothing to hide.
		{"mysql://root@h:3306/db", "mysql://root@h:3306/db"},
		{"mysql://h:3306/db", "mysql://h:3306/db"},
		{"mysql://[::1]:3306/db", "mysql://[::1]:3306/db"},
		{"mysql://[::1]/db", "mysql://[::1]/db"},
		{"sqlite://:memory:", "sqlite://:memory:"},
		{"sqlite://file?mode=memory", "sqlite://file?mode=memory"},
		{"sqlite:///abs/app.db", "sqlite:///abs/app.db"},
		{"", ""},
	}
	for _, tt := range tests {
		got := Redact(tt.raw)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.raw, got, tt.want)
		}
		for _, s := range secrets {
			if strings.Contains(got, s) {
				t.Errorf("Redact(%q) = %q shows %q", tt.raw, got, s)
			}
		}
	}
}
