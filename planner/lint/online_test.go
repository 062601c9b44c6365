package lint

import (
	"testing"
	"time"
)

func TestAlgorithmSummary(t *testing.T) {
	tests := []struct {
		a    Algorithm
		want string
	}{
		{Algorithm{Server: "MariaDB 10.11.19", Algorithm: "INSTANT"}, "MariaDB 10.11.19: INSTANT"},
		{Algorithm{Server: "MySQL 8.0.36", Algorithm: "INPLACE"}, "MySQL 8.0.36: INPLACE, writes go on"},
		{Algorithm{Server: "MariaDB 10.11.19", Algorithm: "COPY", BlocksWrites: true, Size: &TableSize{Rows: 2000000, Bytes: 264 << 20}, CopyTime: 5200 * time.Millisecond},
			"MariaDB 10.11.19: COPY — copies 2,000,000 rows (~264 MB), blocks writes for ~5 s"},
		{Algorithm{Server: "MariaDB 10.11.19", Algorithm: "COPY", BlocksWrites: true, Size: &TableSize{Rows: 3, Bytes: 16384}},
			"MariaDB 10.11.19: COPY — copies 3 rows (~16 KB), blocks writes for under 1 s"},
		{Algorithm{Server: "MariaDB 10.11.19", Algorithm: "COPY", BlocksWrites: true}, "MariaDB 10.11.19: COPY — copies the table, blocks writes until done"},
	}
	for _, tt := range tests {
		if got := tt.a.Summary(); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
}

func TestOnlineNotes(t *testing.T) {
	as := []Algorithm{
		{Table: "instant", Algorithm: "INSTANT"},
		{Table: "inplace", Algorithm: "INPLACE"},
		{Table: "small", Algorithm: "COPY", BlocksWrites: true, CopyTime: 300 * time.Millisecond},
		{Table: "unknown", Algorithm: "COPY", BlocksWrites: true},
		{Table: "big", Algorithm: "COPY", BlocksWrites: true, CopyTime: 7 * time.Second},
	}
	got := onlineNotes(as)
	want := `table "big": the server copies it, blocking writes for ~7 s; to keep writes going, add a line "-- schemactl:online" to the migration's header (pt-online-schema-change) and run schemactl hash, or apply with --online`
	if len(got) != 1 || got[0] != want {
		t.Errorf("onlineNotes = %q, want only %q", got, want)
	}
}
