package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

func describeAll(changes []schema.Change) []string {
	s := make([]string, len(changes))
	for i, c := range changes {
		s[i] = describe.Change(c)
	}
	return s
}

// TestOrder pins the order of table-level changes, as descriptions.
func TestOrder(t *testing.T) {
	tests := []struct {
		name     string
		cur, des *schema.Realm
		want     []string
	}{
		{
			name: "creations follow references, not names",
			cur:  realm(),
			des:  realm(simple("a", "b"), simple("b", "c"), simple("c")),
			want: []string{`create table "c"`, `create table "b"`, `create table "a"`},
		},
		{
			name: "unrelated tables by name",
			cur:  realm(),
			des:  realm(simple("zeta"), simple("alpha"), simple("mid")),
			want: []string{`create table "alpha"`, `create table "mid"`, `create table "zeta"`},
		},
		{
			name: "self-reference stays inline",
			cur:  realm(),
			des:  realm(simple("node", "node")),
			want: []string{`create table "node"`},
		},
		{
			name: "cycle with a dependent outside it",
			cur:  realm(),
			des:  realm(simple("a", "b"), simple("b", "a"), simple("c", "a")),
			want: []string{
				`create table "a"`,
				`create table "b"`,
				`create table "c"`,
				`add foreign key "a_b_id_fk" to table "a"`,
				`add foreign key "b_a_id_fk" to table "b"`,
			},
		},
		{
			name: "drops come last, dependents first",
			cur:  realm(simple("a"), simple("b", "a"), simple("c", "b"), simple("keep")),
			des:  realm(with(simple("keep"), func(t *schema.Table) { t.Comment = "kept" }), simple("new")),
			want: []string{
				`create table "new"`,
				`modify comment of table "keep"`,
				`drop table "c"`,
				`drop table "b"`,
				`drop table "a"`,
			},
		},
		{
			name: "dropped cycle: foreign keys first",
			cur:  realm(simple("a", "b"), simple("b", "a")),
			des:  realm(),
			want: []string{
				`drop foreign key "a_b_id_fk" from table "a"`,
				`drop foreign key "b_a_id_fk" from table "b"`,
				`drop table "a"`,
				`drop table "b"`,
			},
		},
		{
			name: "foreign key to a dropped table is dropped before it",
			cur:  realm(simple("a"), simple("b", "a")),
			des:  realm(with(simple("b", "a"), func(t *schema.Table) { t.ForeignKeys = nil })),
			want: []string{`drop foreign key "b_a_id_fk" from table "b"`, `drop table "a"`},
		},
		{
			name: "a new table waits for the column it refers to",
			cur:  realm(simple("z")),
			des: realm(
				with(simple("z"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("code", typ("text"), false))
					t.Indexes = []*schema.Index{idx("z_code_idx", true, "code")}
				}),
				with(simple("a"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("z_code", typ("text"), false))
					t.ForeignKeys = []*schema.ForeignKey{fk("a_z_fk", []string{"z_code"}, "z", "code")}
				}),
			),
			want: []string{`modify table "z": add column "code", add index "z_code_idx"`, `create table "a"`},
		},
		{
			name: "a foreign key goes before the column it refers to",
			cur: realm(
				with(simple("a"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("code", typ("text"), false))
					t.Indexes = []*schema.Index{idx("a_code_idx", true, "code")}
				}),
				with(simple("b"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("a_code", typ("text"), false))
					t.ForeignKeys = []*schema.ForeignKey{fk("b_a_fk", []string{"a_code"}, "a", "code")}
				}),
			),
			des: realm(simple("a"), with(simple("b"), func(t *schema.Table) {
				t.Columns = append(t.Columns, col("a_code", typ("text"), false))
			})),
			want: []string{
				`drop foreign key "b_a_fk" from table "b"`,
				`modify table "a": drop index "a_code_idx", drop column "code"`,
			},
		},
		{
			name: "a dropped table goes before the column it refers to",
			cur: realm(
				with(simple("a"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("code", typ("text"), false))
					t.Indexes = []*schema.Index{idx("a_code_idx", true, "code")}
				}),
				with(simple("b"), func(t *schema.Table) {
					t.Columns = append(t.Columns, col("a_code", typ("text"), false))
					t.ForeignKeys = []*schema.ForeignKey{fk("b_a_fk", []string{"a_code"}, "a", "code")}
				}),
			),
			des: realm(simple("a")),
			want: []string{
				`drop table "b"`,
				`modify table "a": drop index "a_code_idx", drop column "code"`,
			},
		},
		{
			name: "changed tables in a cycle: drop keys first, add them last",
			cur:  realm(simple("a", "b"), simple("b", "a")),
			des: realm(
				with(simple("a", "b"), func(t *schema.Table) {
					t.Columns[0].Type, t.Columns[1].Type = typ("bigint"), typ("bigint")
				}),
				with(simple("b", "a"), func(t *schema.Table) {
					t.Columns[0].Type, t.Columns[1].Type = typ("bigint"), typ("bigint")
					t.ForeignKeys[0].OnDelete = schema.Cascade
				}),
			),
			want: []string{
				`drop foreign key "b_a_id_fk" from table "b"`,
				`modify table "a": modify column "id", modify column "b_id"`,
				`modify table "b": modify column "id", modify column "a_id"`,
				`add foreign key "b_a_id_fk" to table "b"`,
			},
		},
		{
			name: "changed foreign key to a table changed elsewhere needs no split",
			cur:  realm(simple("a", "b"), simple("b")),
			des: realm(
				with(simple("a", "b"), func(t *schema.Table) { t.ForeignKeys[0].OnDelete = schema.Cascade }),
				with(simple("b"), func(t *schema.Table) { t.Columns = append(t.Columns, col("x", typ("integer"), true)) }),
			),
			want: []string{
				`modify table "a": drop foreign key "a_b_id_fk", add foreign key "a_b_id_fk"`,
				`add column "x" to table "b"`,
			},
		},
		{
			name: "renames first",
			cur:  realm(simple("users"), simple("posts", "users")),
			des: realm(
				with(simple("members"), func(t *schema.Table) { t.RenamedFrom = "users" }),
				with(simple("posts", "members"), func(t *schema.Table) {
					t.Columns[1].Name, t.Columns[1].RenamedFrom = "member_id", "users_id"
					t.ForeignKeys[0].Columns = []string{"member_id"}
					t.ForeignKeys[0].Name = "posts_users_id_fk"
				}),
				simple("archive", "members"),
			),
			want: []string{
				`rename table "users" to "members"`,
				`create table "archive"`,
				`rename column "users_id" to "member_id" in table "posts"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Diff(tt.cur, tt.des, fakeDialect{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describeAll(got)); diff != "" {
				t.Errorf("order mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOrderCycleTables pins the tables of a split cycle: created without the
// keys between them, each key then added with From and To chaining.
func TestOrderCycleTables(t *testing.T) {
	a, b := simple("a", "b"), simple("b", "a")
	got, err := Diff(realm(), realm(a, b), fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	bare := func(t *schema.Table) *schema.Table {
		return with(cloneTable(t), func(t *schema.Table) { t.ForeignKeys = nil })
	}
	want := []schema.Change{
		&schema.AddTable{T: bare(a)},
		&schema.AddTable{T: bare(b)},
		&schema.ModifyTable{From: bare(a), To: a, Changes: []schema.Change{&schema.AddForeignKey{F: a.ForeignKeys[0]}}},
		&schema.ModifyTable{From: bare(b), To: b, Changes: []schema.Change{&schema.AddForeignKey{F: b.ForeignKeys[0]}}},
	}
	if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if len(a.ForeignKeys) != 1 || len(b.ForeignKeys) != 1 {
		t.Error("Diff mutated its input")
	}
}

// TestOrderModifyCycleTables pins From and To of a split ModifyTable: the
// leading change drops the current key, the main one works on tables
// without the moved keys, the trailing one adds the desired key.
func TestOrderModifyCycleTables(t *testing.T) {
	curA, curB := simple("a", "b"), simple("b", "a")
	desA := with(simple("a", "b"), func(t *schema.Table) {
		t.ForeignKeys[0].OnDelete = schema.Cascade
		t.Columns = append(t.Columns, col("x", typ("integer"), true))
	})
	desB := with(simple("b", "a"), func(t *schema.Table) { t.Columns[0].Type = typ("bigint") })
	got, err := Diff(realm(curA, curB), realm(desA, desB), fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	bare := func(t *schema.Table) *schema.Table {
		return with(cloneTable(t), func(t *schema.Table) { t.ForeignKeys = nil })
	}
	want := []schema.Change{
		&schema.ModifyTable{From: curA, To: bare(curA), Changes: []schema.Change{&schema.DropForeignKey{F: curA.ForeignKeys[0]}}},
		&schema.ModifyTable{From: bare(curA), To: bare(desA), Changes: []schema.Change{&schema.AddColumn{C: desA.Columns[2]}}},
		&schema.ModifyTable{From: curB, To: desB, Changes: []schema.Change{
			&schema.ModifyColumn{From: curB.Columns[0], To: desB.Columns[0], Kind: schema.ChangeType},
		}},
		&schema.ModifyTable{From: bare(desA), To: desA, Changes: []schema.Change{&schema.AddForeignKey{F: desA.ForeignKeys[0]}}},
	}
	if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestOrderInlineCycles: for engines that accept forward references (SQLite),
// a cycle of new tables is created with its keys inline, and tables outside
// the cycle still follow the tables they reference. Cycles among existing
// tables are split as before.
func TestOrderInlineCycles(t *testing.T) {
	tests := []struct {
		name     string
		cur, des *schema.Realm
		want     []string
	}{
		{
			name: "new cycle inline",
			cur:  realm(),
			des:  realm(simple("c", "a"), simple("b", "a"), simple("a", "b"), simple("d")),
			want: []string{`create table "a"`, `create table "b"`, `create table "c"`, `create table "d"`},
		},
		{
			name: "dependent before its cycle by name still waits",
			cur:  realm(),
			des:  realm(simple("x", "y"), simple("y", "x"), simple("a", "y")),
			want: []string{`create table "x"`, `create table "y"`, `create table "a"`},
		},
		{
			name: "keys between existing tables need no split",
			cur:  realm(simple("a"), simple("b")),
			des:  realm(simple("a", "b"), simple("b", "a")),
			want: []string{
				`modify table "a": add column "b_id", add foreign key "a_b_id_fk"`,
				`modify table "b": add column "a_id", add foreign key "b_a_id_fk"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := diffRealms(tt.cur, tt.des, engineFacts{inlineCycles: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, describeAll(r.changes)); diff != "" {
				t.Errorf("order mismatch (-want +got):\n%s", diff)
			}
			for _, c := range r.changes {
				if at, ok := c.(*schema.AddTable); ok && len(at.T.ForeignKeys) == 0 && at.T.Name != "d" {
					t.Errorf("table %q created without its foreign keys", at.T.Name)
				}
			}
		})
	}
}

// TestPinnedForeignKeys: on engines that refuse to retype a column under a
// foreign key (InnoDB), an unchanged key over a retyped column, on either
// end, is dropped before the change and added back after it; elsewhere it
// is left alone.
func TestPinnedForeignKeys(t *testing.T) {
	parent := func(ty string) *schema.Table {
		return with(simple("team"), func(t *schema.Table) { t.Columns[0].Type = typ(ty) })
	}
	child := func(ty string) *schema.Table {
		return with(simple("hero", "team"), func(t *schema.Table) { t.Columns[1].Type = typ(ty) })
	}
	cur := realm(parent("integer"), child("integer"))
	des := realm(parent("bigint"), child("bigint"))
	r, err := diffRealms(cur, des, engineFacts{pinTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`drop foreign key "hero_team_id_fk" from table "hero"`,
		`modify column "team_id" of table "hero"`,
		`modify column "id" of table "team"`,
		`add foreign key "hero_team_id_fk" to table "hero"`,
	}
	if diff := cmp.Diff(want, describeAll(r.changes)); diff != "" {
		t.Errorf("pinned (-want +got):\n%s", diff)
	}
	r, err = diffRealms(cur, des, engineFacts{})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{`modify column "team_id" of table "hero"`, `modify column "id" of table "team"`}
	if diff := cmp.Diff(want, describeAll(r.changes)); diff != "" {
		t.Errorf("not pinned (-want +got):\n%s", diff)
	}
}
