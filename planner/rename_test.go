package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func noHints(t *schema.Table) *schema.Table {
	t = cloneTable(t)
	t.RenamedFrom = ""
	for _, c := range t.Columns {
		c.RenamedFrom = ""
	}
	for _, i := range t.Indexes {
		i.RenamedFrom = ""
	}
	return t
}

func TestDiffRenames(t *testing.T) {
	tests := []struct {
		name      string
		cur, des  *schema.Realm
		want      func(cur, des *schema.Schema) []schema.Change
		wantNotes []string
	}{
		{
			name: "table",
			cur:  realm(users()),
			des:  realm(with(users(), func(t *schema.Table) { t.Name, t.RenamedFrom = "members", "users" })),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{&schema.RenameTable{From: "users", To: "members"}}
			},
		},
		{
			name: "table, then a change under the new name",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Name, t.RenamedFrom = "members", "users"
				t.Columns = append(t.Columns, col("email", typ("text"), true))
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				d := des.Tables[0]
				return []schema.Change{
					&schema.RenameTable{From: "users", To: "members"},
					&schema.ModifyTable{From: cur.Tables[0], To: noHints(d), Changes: []schema.Change{&schema.AddColumn{C: d.Columns[2]}}},
				}
			},
		},
		{
			name: "column, carried into indexes",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Columns[1].Name, t.Columns[1].RenamedFrom = "full_name", "name"
				t.Indexes[0].Parts[0].Column = "full_name"
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{&schema.ModifyTable{From: cur.Tables[0], To: noHints(des.Tables[0]), Changes: []schema.Change{
					&schema.RenameColumn{From: "name", To: "full_name"},
				}}}
			},
		},
		{
			name: "column, then its type under the new name",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Columns[1].Name, t.Columns[1].RenamedFrom = "full_name", "name"
				t.Columns[1].Type = typ("varchar", 200)
				t.Indexes[0].Parts[0].Column = "full_name"
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				from := with(users(), func(t *schema.Table) {}).Columns[1]
				from.Name = "full_name"
				to := noHints(des.Tables[0]).Columns[1]
				return []schema.Change{&schema.ModifyTable{From: cur.Tables[0], To: noHints(des.Tables[0]), Changes: []schema.Change{
					&schema.RenameColumn{From: "name", To: "full_name"},
					&schema.ModifyColumn{From: from, To: to, Kind: schema.ChangeType},
				}}}
			},
		},
		{
			name: "index",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Indexes[0].Name, t.Indexes[0].RenamedFrom = "users_by_name", "users_name_idx"
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{&schema.ModifyTable{From: cur.Tables[0], To: noHints(des.Tables[0]), Changes: []schema.Change{
					&schema.RenameIndex{From: "users_name_idx", To: "users_by_name"},
				}}}
			},
		},
		{
			name: "index renamed and redefined is dropped and created",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Indexes[0].Name, t.Indexes[0].RenamedFrom = "users_by_name", "users_name_idx"
				t.Indexes[0].Unique = true
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				to := noHints(des.Tables[0])
				return []schema.Change{&schema.ModifyTable{From: cur.Tables[0], To: to, Changes: []schema.Change{
					&schema.DropIndex{I: cur.Tables[0].Indexes[0]},
					&schema.AddIndex{I: to.Indexes[0]},
				}}}
			},
		},
		{
			name: "table, column and index at once (hints looked up in the old table)",
			cur:  realm(users()),
			des:  realm(members()),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{
					&schema.RenameTable{From: "users", To: "members"},
					&schema.ModifyTable{From: cur.Tables[0], To: noHints(des.Tables[0]), Changes: []schema.Change{
						&schema.RenameColumn{From: "name", To: "full_name"},
						&schema.RenameIndex{From: "users_name_idx", To: "members_full_name_idx"},
					}},
				}
			},
		},
		{
			name: "foreign keys of other tables follow renames",
			cur: realm(users(), with(simple("posts"), func(t *schema.Table) {
				t.Columns = append(t.Columns, col("author", typ("varchar", 100), false))
				t.ForeignKeys = []*schema.ForeignKey{fk("posts_author_fk", []string{"author"}, "users", "name")}
			})),
			des: realm(members(), with(simple("posts"), func(t *schema.Table) {
				t.Columns = append(t.Columns, col("author", typ("varchar", 100), false))
				t.ForeignKeys = []*schema.ForeignKey{fk("posts_author_fk", []string{"author"}, "members", "full_name")}
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{
					&schema.RenameTable{From: "users", To: "members"},
					&schema.ModifyTable{From: cur.Tables[0], To: noHints(des.Tables[0]), Changes: []schema.Change{
						&schema.RenameColumn{From: "name", To: "full_name"},
						&schema.RenameIndex{From: "users_name_idx", To: "members_full_name_idx"},
					}},
				}
			},
		},
		{
			name: "hint is inert once applied",
			cur:  realm(noHints(members())),
			des:  realm(members()),
		},
		{
			name: "neither name exists: create, with a note",
			cur:  realm(),
			des:  realm(members()),
			want: func(cur, des *schema.Schema) []schema.Change {
				return []schema.Change{&schema.AddTable{T: members()}}
			},
			wantNotes: []string{`table "members" is renamed_from "users", but neither exists; it is created`},
		},
		{
			name: "column hint naming nothing: add, with a note",
			cur:  realm(users()),
			des: realm(with(users(), func(t *schema.Table) {
				t.Columns = append(t.Columns, &schema.Column{Name: "email", RenamedFrom: "mail", Type: typ("text"), Null: true})
			})),
			want: func(cur, des *schema.Schema) []schema.Change {
				to := noHints(des.Tables[0])
				return []schema.Change{&schema.ModifyTable{From: cur.Tables[0], To: to, Changes: []schema.Change{
					&schema.AddColumn{C: to.Columns[2]},
				}}}
			},
			wantNotes: []string{`table "users": column "email" is renamed_from "mail", but neither exists; it is created`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := diffRealms(tt.cur, tt.des, engineFacts{})
			if err != nil {
				t.Fatal(err)
			}
			var want []schema.Change
			if tt.want != nil {
				want = tt.want(tt.cur.Schemas[0], tt.des.Schemas[0])
			}
			if diff := cmp.Diff(want, r.changes, cmpChanges); diff != "" {
				t.Errorf("changes mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantNotes, r.notes, cmpChanges); diff != "" {
				t.Errorf("notes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffRenameErrors(t *testing.T) {
	tests := []struct {
		name     string
		cur, des *schema.Realm
		want     string
	}{
		{
			name: "ambiguous table",
			cur:  realm(users(), noHints(members())),
			des:  realm(members()),
			want: `table "members": ambiguous renamed_from "users": both tables exist`,
		},
		{
			name: "ambiguous column",
			cur:  realm(with(users(), func(t *schema.Table) { t.Columns = append(t.Columns, col("full_name", typ("text"), true)) })),
			des:  realm(with(users(), func(t *schema.Table) { t.Columns[1].Name, t.Columns[1].RenamedFrom = "full_name", "name" })),
			want: `table "users": column "full_name": ambiguous renamed_from "name": both columns exist`,
		},
		{
			name: "ambiguous index",
			cur:  realm(with(users(), func(t *schema.Table) { t.Indexes = append(t.Indexes, idx("users_by_name", false, "name")) })),
			des: realm(with(users(), func(t *schema.Table) {
				t.Indexes[0].Name, t.Indexes[0].RenamedFrom = "users_by_name", "users_name_idx"
			})),
			want: `table "users": index "users_by_name": ambiguous renamed_from "users_name_idx": both indexes exist`,
		},
		{
			name: "table names itself",
			cur:  realm(users()),
			des:  realm(with(users(), func(t *schema.Table) { t.RenamedFrom = "users" })),
			want: `table "users": renamed_from names the table itself`,
		},
		{
			name: "column names itself",
			cur:  realm(users()),
			des:  realm(with(users(), func(t *schema.Table) { t.Columns[1].RenamedFrom = "NAME" })),
			want: `table "users": column "name": renamed_from names the column itself`,
		},
		{
			name: "two tables claim one old name",
			cur:  realm(users()),
			des: realm(
				with(users(), func(t *schema.Table) { t.Name, t.RenamedFrom = "a", "users" }),
				with(users(), func(t *schema.Table) { t.Name, t.RenamedFrom = "b", "users" }),
			),
			want: `table "b": renamed_from "users" is also claimed by table "a"`,
		},
		{
			name: "old name also declared",
			cur:  realm(users()),
			des:  realm(users(), with(users(), func(t *schema.Table) { t.Name, t.RenamedFrom = "members", "users" })),
			want: `table "members": renamed_from "users" names a table that is also declared`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Diff(tt.cur, tt.des, fakeDialect{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("Diff() error = %v\nwant %s", err, tt.want)
			}
		})
	}
}
