package planner

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRename(t *testing.T) {
	tests := []struct {
		in      string
		want    Rename
		wantErr bool
	}{
		{in: "table.users=members", want: Rename{Kind: "table", From: "users", To: "members"}},
		{in: "table.users.column.name=full_name", want: Rename{Kind: "column", Table: "users", From: "name", To: "full_name"}},
		{in: "table.users.index.a=b", want: Rename{Kind: "index", Table: "users", From: "a", To: "b"}},
		{in: "users.name=full_name", wantErr: true},
		{in: "table.users", wantErr: true},
		{in: "table.users=", wantErr: true},
		{in: "table..column.a=b", wantErr: true},
		{in: "table.t.check.a=b", wantErr: true},
		{in: "table.a=b=c", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseRename(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRename(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil {
			if got != tt.want {
				t.Errorf("ParseRename(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		}
	}
}

// TestWithRenamesIsRenamedFrom checks that --rename plans exactly what
// renamed_from in the HCL plans.
func TestWithRenamesIsRenamedFrom(t *testing.T) {
	plain := members()
	plain.RenamedFrom = ""
	for _, c := range plain.Columns {
		c.RenamedFrom = ""
	}
	for _, i := range plain.Indexes {
		i.RenamedFrom = ""
	}
	des := realm(plain)
	hinted, err := WithRenames(des, []Rename{
		{Kind: "column", Table: "users", From: "name", To: "full_name"}, // the table by its old name
		{Kind: "table", From: "users", To: "members"},
		{Kind: "index", Table: "members", From: "users_name_idx", To: "members_full_name_idx"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if plain.RenamedFrom != "" || plain.Columns[1].RenamedFrom != "" {
		t.Error("WithRenames changed its input")
	}
	got, err := New(realm(users()), hinted, fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := New(realm(users()), realm(members()), fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Up, got.Up); diff != "" {
		t.Errorf("up mismatch (-renamed_from +--rename):\n%s", diff)
	}
	if diff := cmp.Diff(want.Down, got.Down); diff != "" {
		t.Errorf("down mismatch (-renamed_from +--rename):\n%s", diff)
	}
}

func TestWithRenamesErrors(t *testing.T) {
	des := realm(members())
	tests := []struct {
		r    Rename
		want string
	}{
		{Rename{Kind: "table", From: "x", To: "nobody"}, `the schema has no table "nobody"`},
		{Rename{Kind: "column", Table: "nobody", From: "x", To: "y"}, `the schema has no table "nobody"`},
		{Rename{Kind: "column", Table: "members", From: "x", To: "nothing"}, `table "members" has no column "nothing"`},
		{Rename{Kind: "table", From: "people", To: "members"}, `the schema says renamed_from = "users"`},
	}
	for _, tt := range tests {
		_, err := WithRenames(des, []Rename{tt.r})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("WithRenames(%v) error = %v, want %q", tt.r, err, tt.want)
		}
	}
	// A hint equal to the HCL's is fine.
	if _, err := WithRenames(des, []Rename{{Kind: "table", From: "users", To: "members"}}); err != nil {
		t.Errorf("WithRenames(same as renamed_from) = %v", err)
	}
	if got, err := WithRenames(des, nil); err != nil || got != des {
		t.Errorf("WithRenames(nil) = %v, %v; want the input", got, err)
	}
}
