package sqlident

import (
	"maps"
	"slices"
	"testing"
)

func TestNames(t *testing.T) {
	tests := []struct {
		sql          string
		doubleQuoted bool
		want         []string
	}{
		{"`id` > 0 AND total >= 0", false, []string{"0", "and", "id", "total"}},
		{"total <> 'id'", false, []string{"total"}},
		{`total <> "id"`, false, []string{"total"}},
		{`SELECT "Age" FROM users`, true, []string{"age", "from", "select", "users"}},
		{"SELECT [o'clock] FROM `we``ird` -- note\n", true, []string{"from", "o'clock", "select", "we`ird"}},
		{"a /* b */ + 'it''s' + 'c\\'d' # e", false, []string{"a"}},
	}
	for _, tt := range tests {
		got := slices.Sorted(maps.Keys(Names(tt.sql, tt.doubleQuoted)))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Names(%q, %v) = %q, want %q", tt.sql, tt.doubleQuoted, got, tt.want)
		}
	}
}
