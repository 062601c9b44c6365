package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/planner/internal/describe"
	"github.com/schemactl/schemactl/schema"
)

// TestDiffTable pins the changes of one table, one kind of difference per
// case: the wanted changes are those inside the ModifyTable, whose From is
// cur and To is des.
func TestDiffTable(t *testing.T) {
	type nested = func(cur, des *schema.Table) []schema.Change
	tests := []struct {
		name     string
		cur, des *schema.Table
		want     nested // nil: no change at all
	}{
		{
			name: "identical",
			cur:  hero(),
			des:  hero(),
		},
		{
			name: "add column",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Columns = append(t.Columns, col("power", typ("integer"), true)) }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddColumn{C: des.Columns[4]}}
			},
		},
		{
			name: "drop column",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Columns = t.Columns[:3] }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropColumn{C: cur.Columns[3]}}
			},
		},
		modifyColumn("type", schema.ChangeType, func(c *schema.Column) { c.Type = typ("bigint") }),
		modifyColumn("type args", schema.ChangeType, func(c *schema.Column) { c.Type = typ("integer", 11) }),
		modifyColumn("unsigned", schema.ChangeType, func(c *schema.Column) { c.Type.Unsigned = true }),
		modifyColumn("raw type", schema.ChangeType, func(c *schema.Column) { c.Type = schema.Type{Raw: "INTEGER"} }),
		modifyColumn("null", schema.ChangeNull, func(c *schema.Column) { c.Null = false }),
		modifyColumn("default added", schema.ChangeDefault, func(c *schema.Column) {
			c.Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"}
		}),
		modifyColumn("default value", schema.ChangeDefault, func(c *schema.Column) {
			c.Default = &schema.Default{Kind: schema.DefaultNumber, Value: "1"}
		}, func(c *schema.Column) { c.Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"} }),
		modifyColumn("default kind", schema.ChangeDefault, func(c *schema.Column) {
			c.Default = &schema.Default{Kind: schema.DefaultRaw, Value: "0"}
		}, func(c *schema.Column) { c.Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"} }),
		modifyColumn("default removed", schema.ChangeDefault, func(c *schema.Column) { c.Default = nil },
			func(c *schema.Column) { c.Default = &schema.Default{Kind: schema.DefaultString, Value: "x"} }),
		modifyColumn("auto_increment", schema.ChangeAutoIncrement, func(c *schema.Column) { c.AutoIncrement = true }),
		modifyColumn("on_update", schema.ChangeOnUpdate, func(c *schema.Column) { c.OnUpdate = "CURRENT_TIMESTAMP" }),
		modifyColumn("charset", schema.ChangeCharset, func(c *schema.Column) { c.Charset = "latin1" }),
		modifyColumn("charset removed", schema.ChangeCharset, func(c *schema.Column) { c.Charset = "" },
			func(c *schema.Column) { c.Charset = "latin1" }),
		modifyColumn("collate", schema.ChangeCollate, func(c *schema.Column) { c.Collate = "utf8mb4_bin" }),
		modifyColumn("comment", schema.ChangeComment, func(c *schema.Column) { c.Comment = "years" }),
		modifyColumn("generated added", schema.ChangeGenerated, func(c *schema.Column) {
			c.Generated = &schema.Generated{Expr: "id * 2"}
		}),
		modifyColumn("generated stored", schema.ChangeGenerated, func(c *schema.Column) {
			c.Generated = &schema.Generated{Expr: "id * 2", Stored: true}
		}, func(c *schema.Column) { c.Generated = &schema.Generated{Expr: "id * 2"} }),
		modifyColumn("type and null", schema.ChangeType|schema.ChangeNull, func(c *schema.Column) {
			c.Type, c.Null = typ("bigint"), false
		}),
		{
			name: "column names compare case-insensitively",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Columns[3].Name = "AGE" }),
		},
		{
			name: "positions and hints do not count",
			cur:  hero(),
			des: with(hero(), func(t *schema.Table) {
				t.Columns[3].Pos.Start.Line = 7
				t.Pos.Start.Line = 3
				t.Columns[3].RenamedFrom = "years" // inert: "years" does not exist
			}),
		},

		// Indexes: any change is a drop and a create.
		{
			name: "add index",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Indexes = append(t.Indexes, idx("hero_age_idx", false, "age")) }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddIndex{I: des.Indexes[1]}}
			},
		},
		{
			name: "drop index",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Indexes = nil }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropIndex{I: cur.Indexes[0]}}
			},
		},
		modifyIndex("index unique", func(i *schema.Index) { i.Unique = true }),
		modifyIndex("index parts", func(i *schema.Index) { i.Parts = parts("name", "age") }),
		modifyIndex("index desc", func(i *schema.Index) { i.Parts[0].Desc = true }),
		modifyIndex("index prefix", func(i *schema.Index) { i.Parts[0].Prefix = 10 }),
		modifyIndex("index expr", func(i *schema.Index) { i.Parts = []schema.IndexPart{{Expr: "lower(name)"}} }),
		modifyIndex("index where", func(i *schema.Index) { i.Where = "age > 0" }),
		modifyIndex("index type", func(i *schema.Index) { i.Type = "FULLTEXT" }),
		modifyIndex("index parser", func(i *schema.Index) { i.Parser = "ngram" }),
		modifyIndex("index comment", func(i *schema.Index) { i.Comment = "by name" }),
		{
			name: "index names compare case-insensitively",
			cur:  hero(),
			des: with(hero(), func(t *schema.Table) {
				t.Indexes[0].Name = "HERO_NAME_IDX"
				t.Indexes[0].Parts[0].Column = "NAME"
			}),
		},

		// Primary keys.
		{
			name: "primary key name does not count",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.PrimaryKey.Name = "PRIMARY" }),
		},
		{
			name: "primary key parts",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.PrimaryKey = pk("id", "name") }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.ModifyPrimaryKey{From: cur.PrimaryKey, To: des.PrimaryKey}}
			},
		},
		{
			name: "primary key added",
			cur:  with(hero(), func(t *schema.Table) { t.PrimaryKey = nil }),
			des:  hero(),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.ModifyPrimaryKey{To: des.PrimaryKey}}
			},
		},
		{
			name: "primary key dropped",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.PrimaryKey = nil }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.ModifyPrimaryKey{From: cur.PrimaryKey}}
			},
		},
		{
			name: "primary key type",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.PrimaryKey.Type = "HASH" }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.ModifyPrimaryKey{From: cur.PrimaryKey, To: des.PrimaryKey}}
			},
		},

		// Foreign keys: matched by name, changed by drop and add.
		{
			name: "add foreign key",
			cur:  withTeam(hero(), false),
			des:  withTeam(hero(), true),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddForeignKey{F: des.ForeignKeys[0]}}
			},
		},
		{
			name: "drop foreign key",
			cur:  withTeam(hero(), true),
			des:  withTeam(hero(), false),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropForeignKey{F: cur.ForeignKeys[0]}}
			},
		},
		{
			name: "foreign key action",
			cur:  withTeam(hero(), true),
			des:  with(withTeam(hero(), true), func(t *schema.Table) { t.ForeignKeys[0].OnDelete = schema.Cascade }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropForeignKey{F: cur.ForeignKeys[0]}, &schema.AddForeignKey{F: des.ForeignKeys[0]}}
			},
		},
		{
			name: "foreign key columns",
			cur:  withTeam(hero(), true),
			des:  with(withTeam(hero(), true), func(t *schema.Table) { t.ForeignKeys[0].RefColumns = []string{"name"} }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropForeignKey{F: cur.ForeignKeys[0]}, &schema.AddForeignKey{F: des.ForeignKeys[0]}}
			},
		},
		{
			name: "unnamed foreign key matches by definition",
			cur:  withTeam(hero(), true),
			des:  with(withTeam(hero(), true), func(t *schema.Table) { t.ForeignKeys[0].Name = "" }),
		},

		// Checks: by name, unnamed ones by expression.
		{
			name: "add check",
			cur:  hero(),
			des:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("age_positive", "age > 0")} }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.AddCheck{C: des.Checks[0]}}
			},
		},
		{
			name: "drop check",
			cur:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("age_positive", "age > 0")} }),
			des:  hero(),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropCheck{C: cur.Checks[0]}}
			},
		},
		{
			name: "check expression",
			cur:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("age_positive", "age > 0")} }),
			des:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("age_positive", "age >= 0")} }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropCheck{C: cur.Checks[0]}, &schema.AddCheck{C: des.Checks[0]}}
			},
		},
		{
			name: "check enforced",
			cur:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("age_positive", "age > 0")} }),
			des: with(hero(), func(t *schema.Table) {
				t.Checks = []*schema.Check{{Name: "age_positive", Expr: "age > 0"}}
			}),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropCheck{C: cur.Checks[0]}, &schema.AddCheck{C: des.Checks[0]}}
			},
		},
		{
			name: "unnamed checks match by expression",
			cur: with(hero(), func(t *schema.Table) {
				t.Checks = []*schema.Check{check("", "age > 0"), check("hero_chk_1", "id > 0")}
			}),
			des: with(hero(), func(t *schema.Table) {
				t.Checks = []*schema.Check{check("", "id > 0"), check("", "age > 0")}
			}),
		},
		{
			name: "unnamed check changed",
			cur:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("", "age > 0")} }),
			des:  with(hero(), func(t *schema.Table) { t.Checks = []*schema.Check{check("", "age > 1")} }),
			want: func(cur, des *schema.Table) []schema.Change {
				return []schema.Change{&schema.DropCheck{C: cur.Checks[0]}, &schema.AddCheck{C: des.Checks[0]}}
			},
		},

		// Table options.
		tableOption("comment", schema.ChangeComment, func(t *schema.Table) { t.Comment = "heroes" }),
		tableOption("charset", schema.ChangeCharset, func(t *schema.Table) { t.Charset = "latin1" }),
		tableOption("collate", schema.ChangeCollate, func(t *schema.Table) { t.Collate = "utf8mb4_bin" }),
		tableOption("engine", schema.ChangeEngine, func(t *schema.Table) { t.Engine = "MyISAM" }),
		tableOption("auto_increment raised", schema.ChangeAutoIncrement, func(t *schema.Table) { t.AutoIncrement = 1000 }),
		tableOption("strict", schema.ChangeStrict, func(t *schema.Table) { t.Strict = true }),
		tableOption("without rowid", schema.ChangeWithoutRowID, func(t *schema.Table) { t.WithoutRowID = true }),
		tableOption("comment and engine", schema.ChangeComment|schema.ChangeEngine, func(t *schema.Table) {
			t.Comment, t.Engine = "heroes", "MyISAM"
		}),
		{
			name: "unmanaged charset, collate and engine",
			cur:  withOptions(hero()),
			des:  hero(),
		},
		{
			name: "auto_increment is never lowered",
			cur:  withOptions(hero()),
			des:  with(withOptions(hero()), func(t *schema.Table) { t.AutoIncrement = 10 }),
		},
		{
			name: "triggers and objects do not count",
			cur: with(hero(), func(t *schema.Table) {
				t.Triggers = []*schema.Object{{Kind: "trigger", Name: "hero_audit", Table: "hero", SQL: "CREATE TRIGGER …"}}
			}),
			des: hero(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Diff(realm(tt.cur), realm(tt.des), fakeDialect{})
			if err != nil {
				t.Fatal(err)
			}
			var want []schema.Change
			if tt.want != nil {
				want = []schema.Change{&schema.ModifyTable{From: tt.cur, To: tt.des, Changes: tt.want(tt.cur, tt.des)}}
			}
			if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
				t.Errorf("Diff() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type tableCase = struct {
	name     string
	cur, des *schema.Table
	want     func(cur, des *schema.Table) []schema.Change
}

// modifyColumn is a case that changes hero's age column with change, after
// preparing it in both tables with setup.
func modifyColumn(name string, kind schema.ChangeKind, change func(*schema.Column), setup ...func(*schema.Column)) tableCase {
	cur, des := hero(), hero()
	for _, s := range setup {
		s(cur.Columns[3])
		s(des.Columns[3])
	}
	change(des.Columns[3])
	return tableCase{
		name: "column " + name, cur: cur, des: des,
		want: func(cur, des *schema.Table) []schema.Change {
			return []schema.Change{&schema.ModifyColumn{From: cur.Columns[3], To: des.Columns[3], Kind: kind}}
		},
	}
}

func modifyIndex(name string, change func(*schema.Index)) tableCase {
	des := hero()
	change(des.Indexes[0])
	return tableCase{
		name: name, cur: hero(), des: des,
		want: func(cur, des *schema.Table) []schema.Change {
			return []schema.Change{&schema.DropIndex{I: cur.Indexes[0]}, &schema.AddIndex{I: des.Indexes[0]}}
		},
	}
}

func tableOption(name string, kind schema.ChangeKind, change func(*schema.Table)) tableCase {
	cur, des := withOptions(hero()), withOptions(hero())
	change(des)
	return tableCase{
		name: "table " + name, cur: cur, des: des,
		want: func(cur, des *schema.Table) []schema.Change {
			return []schema.Change{&schema.ModifyTableOptions{From: cur, To: des, Kind: kind}}
		},
	}
}

func withOptions(t *schema.Table) *schema.Table {
	t.Charset, t.Collate, t.Engine, t.AutoIncrement = "utf8mb4", "utf8mb4_general_ci", "InnoDB", 100
	return t
}

// TestDiffChangeOrder pins the order of changes inside one table: renames,
// then drops, modifications, additions.
func TestDiffChangeOrder(t *testing.T) {
	cur := with(withTeam(hero(), true), func(t *schema.Table) {
		t.Checks = []*schema.Check{check("c_old", "age > 0")}
		t.Columns = append(t.Columns, col("legacy", typ("text"), true))
	})
	des := with(withTeam(hero(), false), func(t *schema.Table) {
		t.Columns[1].Name, t.Columns[1].RenamedFrom = "full_name", "name"
		t.Indexes[0].Parts[0].Column = "full_name"
		t.Columns[3].Type = typ("bigint")
		t.Columns = append(t.Columns, col("power", typ("integer"), true))
		t.Indexes = append(t.Indexes, idx("hero_power_idx", false, "power"))
		t.Checks = []*schema.Check{check("c_new", "age > 1")}
		t.ForeignKeys = []*schema.ForeignKey{fk("hero_team2_fk", []string{"team_id"}, "team", "id")}
		t.PrimaryKey = pk("id", "full_name")
		t.Comment = "heroes"
	})
	got, err := Diff(realm(cur, team()), realm(des, team()), fakeDialect{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d changes, want 1 ModifyTable", len(got))
	}
	var kinds []string
	for _, c := range got[0].(*schema.ModifyTable).Changes {
		kinds = append(kinds, describe.Nested(c, ""))
	}
	want := []string{
		`rename column "name" to "full_name"`,
		`drop foreign key "hero_team_fk"`,
		`drop check "c_old"`,
		`drop column "legacy"`,
		`modify column "age"`,
		`add column "power"`,
		`modify primary key`,
		`add index "hero_power_idx"`,
		`add check "c_new"`,
		`add foreign key "hero_team2_fk"`,
		`modify comment`,
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("nested order mismatch (-want +got):\n%s", diff)
	}
}

// TestDiffRealm pins changes above the table level.
func TestDiffRealm(t *testing.T) {
	t.Run("add table", func(t *testing.T) {
		got, err := Diff(realm(), realm(hero()), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		want := []schema.Change{&schema.AddTable{T: hero()}}
		if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("drop table", func(t *testing.T) {
		got, err := Diff(realm(hero(), team()), realm(team()), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		want := []schema.Change{&schema.DropTable{T: hero()}}
		if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("table names are exact", func(t *testing.T) {
		got, err := Diff(realm(hero()), realm(with(hero(), func(t *schema.Table) { t.Name = "Hero" })), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		want := []schema.Change{
			&schema.AddTable{T: with(hero(), func(t *schema.Table) { t.Name = "Hero" })},
			&schema.DropTable{T: hero()},
		}
		if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("schema options", func(t *testing.T) {
		cur, des := realm(hero()), realm(hero())
		cur.Schemas[0].Charset, cur.Schemas[0].Collate = "latin1", "latin1_swedish_ci"
		des.Schemas[0].Charset, des.Schemas[0].Comment = "utf8mb4", "the app"
		got, err := Diff(cur, des, fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		to := *des.Schemas[0]
		to.Collate = "latin1_swedish_ci" // unmanaged: stays as it is
		want := []schema.Change{&schema.ModifySchema{From: cur.Schemas[0], To: &to, Kind: schema.ChangeCharset | schema.ChangeComment}}
		if diff := cmp.Diff(want, got, cmpChanges); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("unmanaged schema options", func(t *testing.T) {
		cur := realm(hero())
		cur.Schemas[0].Charset, cur.Schemas[0].Collate = "latin1", "latin1_swedish_ci"
		got, err := Diff(cur, realm(hero()), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("got %d changes, want none", len(got))
		}
	})
	t.Run("triggers are carried to the desired table", func(t *testing.T) {
		trig := []*schema.Object{{Kind: "trigger", Name: "hero_audit", Table: "hero", SQL: "CREATE TRIGGER …"}}
		cur := with(hero(), func(t *schema.Table) { t.Triggers = trig })
		des := with(hero(), func(t *schema.Table) { t.Comment = "heroes" })
		got, err := Diff(realm(cur), realm(des), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d changes, want 1", len(got))
		}
		m := got[0].(*schema.ModifyTable)
		if diff := cmp.Diff(trig, m.To.Triggers); diff != "" {
			t.Errorf("To.Triggers mismatch (-want +got):\n%s", diff)
		}
		if des.Triggers != nil {
			t.Errorf("desired input was mutated: Triggers = %v", des.Triggers)
		}
	})
	t.Run("objects are ignored", func(t *testing.T) {
		cur := realm(hero())
		cur.Schemas[0].Objects = []*schema.Object{{Kind: "view", Name: "v", SQL: "CREATE VIEW v AS SELECT 1"}}
		got, err := Diff(cur, realm(hero()), fakeDialect{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("got %d changes, want none", len(got))
		}
	})
}

func TestDiffErrors(t *testing.T) {
	two := &schema.Realm{Schemas: []*schema.Schema{{Name: "a"}, {Name: "b"}}}
	tests := []struct {
		name     string
		cur, des *schema.Realm
		want     string
	}{
		{"nil current", nil, realm(), "current realm is nil"},
		{"no schema", &schema.Realm{}, realm(), "current realm has 0 schemas, want exactly 1"},
		{"two schemas", realm(), two, "desired realm has 2 schemas, want exactly 1"},
		{"duplicate table", realm(hero(), hero()), realm(), `current schema has two tables named "hero"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Diff(tt.cur, tt.des, fakeDialect{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("Diff() error = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestUnnamedMatchesLeaveInputsAlone: an unnamed desired check or foreign
// key is matched with an equal named current one, in both directions of a
// plan, without either input changing.
func TestUnnamedMatchesLeaveInputsAlone(t *testing.T) {
	cur := with(hero(), func(t *schema.Table) {
		t.Checks = []*schema.Check{{Name: "CONSTRAINT_1", Expr: "age > 0", Enforced: true}}
		t.ForeignKeys = []*schema.ForeignKey{{Name: "hero_team_fk", Columns: []string{"team_id"}, RefTable: "team", RefColumns: []string{"id"}}}
	})
	des := with(hero(), func(t *schema.Table) {
		t.Comment = "heroes"
		t.Checks = []*schema.Check{{Expr: "age > 0", Enforced: true}}
		t.ForeignKeys = []*schema.ForeignKey{{Columns: []string{"team_id"}, RefTable: "team", RefColumns: []string{"id"}}}
	})
	cr, dr := realm(cur), realm(des)
	c0, d0 := deepCopy(cr), deepCopy(dr)
	up, err := diffRealms(cr, dr, engineFacts{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := diffRealms(up.applied, up.reverseTarget, engineFacts{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c0, cr); diff != "" {
		t.Errorf("current was mutated:\n%s", diff)
	}
	if diff := cmp.Diff(d0, dr); diff != "" {
		t.Errorf("desired was mutated:\n%s", diff)
	}
}
