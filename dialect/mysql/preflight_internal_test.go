package mysql

import (
	"testing"
	"time"
)

// TestPreflightBounded: each flavour stops a check its own way; MySQL is
// not tested against a server here, so its spelling is pinned.
func TestPreflightBounded(t *testing.T) {
	q := "SELECT COUNT(*) FROM `t` WHERE `a` IS NULL"
	tests := []struct {
		flavor Flavor
		want   string
	}{
		{Flavor{MariaDB: true}, "SET STATEMENT max_statement_time=1.5 FOR SELECT COUNT(*) FROM `t` WHERE `a` IS NULL"},
		{Flavor{}, "SELECT /*+ MAX_EXECUTION_TIME(1500) */ COUNT(*) FROM `t` WHERE `a` IS NULL"},
	}
	for _, tt := range tests {
		if got := New(tt.flavor).bounded(q, 1500*time.Millisecond); got != tt.want {
			t.Errorf("%s: bounded = %q, want %q", tt.flavor, got, tt.want)
		}
	}
}
