package lint

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/schemactl/schemactl/schema"
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
		{Table: "nokey", Algorithm: "COPY", BlocksWrites: true, CopyTime: 2 * time.Second},
		{Table: "trig", Algorithm: "COPY", BlocksWrites: true, CopyTime: 2 * time.Second},
	}
	modify := func(t *schema.Table) schema.Change { return &schema.ModifyTable{From: t, To: t} }
	pk := &schema.Index{Name: "PRIMARY"}
	changes := []schema.Change{
		modify(&schema.Table{Name: "big", Indexes: []*schema.Index{{Name: "u", Unique: true}}}),
		modify(&schema.Table{Name: "nokey", Indexes: []*schema.Index{{Name: "i"}}}),
		modify(&schema.Table{Name: "trig", PrimaryKey: pk, Triggers: []*schema.Object{{Name: "audit"}}}),
	}
	got := onlineNotes(as, changes)
	want := []string{
		`table "big": the server copies it, blocking writes for ~7 s; to keep writes going, add a line "-- schemactl:online" to the migration's header (pt-online-schema-change) and run schemactl hash, or apply with --online`,
		`table "nokey": the server copies it, blocking writes for ~2 s; it has no primary or unique key, which the online path (pt-online-schema-change) needs: add one first, or apply it at a quiet time`,
		`table "trig": the server copies it, blocking writes for ~2 s; it has triggers of its own, which the online path (pt-online-schema-change) does not carry over: apply it at a quiet time`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("onlineNotes (-want +got):\n%s", diff)
	}
}
