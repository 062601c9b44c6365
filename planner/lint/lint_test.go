package lint

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

func enum(values ...string) schema.Type { return schema.Type{Name: "enum", Values: values} }

// heroWith returns the hero table changed by f.
func heroWith(f func(t *schema.Table)) *schema.Table { return with(hero(), f) }

func TestLintClassification(t *testing.T) {
	addCol := func(c *schema.Column) func(*schema.Table) {
		return func(t *schema.Table) { t.Columns = append(t.Columns, c) }
	}
	rows := func(n int64) func(string) (int64, bool) { return func(string) (int64, bool) { return n, true } }
	tests := []struct {
		name     string
		cur, des *schema.Realm
		rebuild  bool
		rows     func(string) (int64, bool)
		want     []string // codes, in plan order
	}{
		{name: "drop table", cur: realm(hero(), team()), des: realm(hero()), want: []string{"DS102"}},
		{name: "drop column", cur: realm(heroWith(addCol(col("power", typ("integer"), true)))), des: realm(hero()), want: []string{"DS103"}},
		{
			name: "drop virtual column holds no data",
			cur:  realm(heroWith(addCol(&schema.Column{Name: "up", Type: typ("text"), Null: true, Generated: &schema.Generated{Expr: "upper(name)"}}))),
			des:  realm(hero()),
		},
		{name: "narrow type", cur: realm(hero()), des: realm(heroWith(func(t *schema.Table) { t.Columns[1].Type = typ("varchar", 10) })), want: []string{"DS104"}},
		{
			name: "enum loses a value",
			cur:  realm(heroWith(addCol(col("rank", enum("a", "b", "c"), true)))),
			des:  realm(heroWith(addCol(col("rank", enum("a", "c"), true)))),
			want: []string{"DS105"},
		},
		{
			name: "enum gains a value at the end",
			cur:  realm(heroWith(addCol(col("rank", enum("a", "b"), true)))),
			des:  realm(heroWith(addCol(col("rank", enum("a", "b", "c"), true)))),
		},
		{
			name: "charset change",
			cur:  realm(hero()),
			des:  realm(heroWith(func(t *schema.Table) { t.Columns[1].Charset = "latin1" })),
			want: []string{"DS106"},
		},
		{
			name: "new unique index",
			cur:  realm(hero()),
			des:  realm(heroWith(func(t *schema.Table) { t.Indexes = append(t.Indexes, idx("hero_secret", true, "secret_name")) })),
			want: []string{"MF101"},
		},
		{
			name: "new unique index on an empty table",
			cur:  realm(hero()),
			des:  realm(heroWith(func(t *schema.Table) { t.Indexes = append(t.Indexes, idx("hero_secret", true, "secret_name")) })),
			rows: rows(0),
		},
		{name: "unique index of a new table", cur: realm(), des: realm(heroWith(func(t *schema.Table) { t.Indexes[0].Unique = true }))},
		{
			name: "unique index on a column added empty",
			cur:  realm(hero()),
			des: realm(heroWith(func(t *schema.Table) {
				t.Columns = append(t.Columns, col("nick", typ("text"), true))
				t.Indexes = append(t.Indexes, idx("hero_nick", true, "nick"))
			})),
		},
		{name: "index becomes unique", cur: realm(hero()), des: realm(heroWith(func(t *schema.Table) { t.Indexes[0].Unique = true })), want: []string{"MF102"}},
		{
			name: "unique index widens: still unique",
			cur:  realm(heroWith(func(t *schema.Table) { t.Indexes[0].Unique = true })),
			des:  realm(heroWith(func(t *schema.Table) { t.Indexes[0] = idx("hero_name_idx", true, "name", "age") })),
		},
		{name: "primary key added", cur: realm(heroWith(func(t *schema.Table) { t.PrimaryKey = nil })), des: realm(hero()), want: []string{"MF101"}},
		{name: "primary key changed", cur: realm(hero()), des: realm(heroWith(func(t *schema.Table) { t.PrimaryKey = pk("name") })), want: []string{"MF102"}},
		{name: "new NOT NULL column without default", cur: realm(hero()), des: realm(heroWith(addCol(col("power", typ("integer"), false)))), want: []string{"MF103"}},
		{
			name: "new NOT NULL column with a default",
			cur:  realm(hero()),
			des:  realm(heroWith(addCol(&schema.Column{Name: "power", Type: typ("integer"), Default: &schema.Default{Kind: schema.DefaultNumber, Value: "0"}}))),
		},
		{name: "new NOT NULL column, empty table", cur: realm(hero()), des: realm(heroWith(addCol(col("power", typ("integer"), false)))), rows: rows(0)},
		{name: "column becomes NOT NULL", cur: realm(hero()), des: realm(heroWith(func(t *schema.Table) { t.Columns[3].Null = false })), want: []string{"MF104"}},
		{
			name: "column becomes NOT NULL, NULLs filled from the default",
			cur:  realm(hero()),
			des: realm(heroWith(func(t *schema.Table) {
				t.Columns[3].Null = false
				t.Columns[3].Default = &schema.Default{Kind: schema.DefaultNumber, Value: "0"}
			})),
		},
		{
			name: "foreign key over existing rows",
			cur:  realm(heroWith(addCol(col("team_id", typ("integer"), true))), team()),
			des: realm(heroWith(func(t *schema.Table) {
				t.Columns = append(t.Columns, col("team_id", typ("integer"), true))
				t.ForeignKeys = append(t.ForeignKeys, fk("hero_team_fk", []string{"team_id"}, "team", "id"))
			}), team()),
			want: []string{"MF105"},
		},
		{
			name: "foreign key on a column added empty",
			cur:  realm(hero(), team()),
			des: realm(heroWith(func(t *schema.Table) {
				t.Columns = append(t.Columns, col("team_id", typ("integer"), true))
				t.ForeignKeys = append(t.ForeignKeys, fk("hero_team_fk", []string{"team_id"}, "team", "id"))
			}), team()),
		},
		{name: "renames", cur: realm(users()), des: realm(members()), want: []string{"BC101", "BC102"}},
		{
			name: "drop and add of one type: a probable rename",
			cur:  realm(heroWith(addCol(col("power", typ("integer"), true)))),
			des:  realm(heroWith(addCol(col("strength", typ("integer"), true)))),
			want: []string{"DS103", "RN102"},
		},
		{
			name: "drop and add of another type",
			cur:  realm(heroWith(addCol(col("power", typ("integer"), true)))),
			des:  realm(heroWith(addCol(col("motto", typ("text"), true)))),
			want: []string{"DS103"},
		},
		{
			name: "drop and create of the same columns: a probable table rename",
			cur:  realm(hero(), team()),
			des:  realm(hero(), with(team(), func(t *schema.Table) { t.Name = "squad" })),
			want: []string{"DS102", "RN101"},
		},
		{
			name:    "table copy, size unknown",
			cur:     realm(hero()),
			des:     realm(heroWith(func(t *schema.Table) { t.Comment = "x" })),
			rebuild: true,
			want:    []string{"HZ101"},
		},
		{
			name:    "table copy of a small table",
			cur:     realm(hero()),
			des:     realm(heroWith(func(t *schema.Table) { t.Comment = "x" })),
			rebuild: true,
			rows:    rows(99_999),
		},
		{
			name:    "table copy of a large table",
			cur:     realm(hero()),
			des:     realm(heroWith(func(t *schema.Table) { t.Comment = "x" })),
			rebuild: true,
			rows:    rows(100_000),
			want:    []string{"HZ101"},
		},
		{name: "additions are safe", cur: realm(), des: realm(hero(), team())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.cur, tt.des, lintDialect{Rebuild: tt.rebuild}, Options{Rows: tt.rows, AllowDestructive: true})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, f := range p.Findings {
				codes = append(codes, f.Code)
				checkFinding(t, f)
			}
			if diff := cmp.Diff(tt.want, codes); diff != "" {
				t.Errorf("codes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// checkFinding checks what every finding must carry.
func checkFinding(t *testing.T, f Finding) {
	t.Helper()
	wantSev := SeverityWarning
	if strings.HasPrefix(f.Code, "DS") {
		wantSev = SeverityError
	}
	if f.Severity != wantSev {
		t.Errorf("%s: severity %s, want %s", f.Code, f.Severity, wantSev)
	}
	if f.Table == "" || !strings.Contains(f.Message, `"`+f.Table+`"`) && !strings.Contains(f.Message, f.Table) {
		t.Errorf("%s: message %q does not name table %q", f.Code, f.Message, f.Table)
	}
	if f.Fix == "" {
		t.Errorf("%s: no fix", f.Code)
	}
}

func TestLintMessages(t *testing.T) {
	cur := realm(heroWith(func(t *schema.Table) { t.Columns = append(t.Columns, col("power", typ("integer"), true)) }))
	des := realm(heroWith(func(t *schema.Table) { t.Columns = append(t.Columns, col("strength", typ("integer"), true)) }))
	p, err := New(cur, des, fakeDialect{}, Options{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Findings
	want := []Finding{
		{
			Code: "DS103", Severity: SeverityError, Table: "hero",
			Message: `drop column "power" of table "hero"`,
			Fix:     "keep the column, or copy its values elsewhere first; --allow-destructive to go ahead",
		},
		{
			Code: "RN102", Severity: SeverityWarning, Table: "hero",
			Message: `column "power" of table "hero" is dropped and column "strength" of the same type integer is added: a rename? As planned the values are lost`,
			Fix:     `if it is a rename, plan with --rename table.hero.column.power=strength (or renamed_from = "power" on column "strength")`,
		},
	}
	if diff := cmp.Diff(want, got, cmpChanges, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Change" }, cmp.Ignore())); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
	// The probable rename names the drop it is about.
	if d, ok := got[1].Change.(*schema.DropColumn); !ok || d.C.Name != "power" {
		t.Errorf("RN102 change = %#v", got[1].Change)
	}
}

func TestNewKeepsWarningsOutOfTheRefusal(t *testing.T) {
	cur := realm(hero())
	des := realm(heroWith(func(t *schema.Table) { t.Indexes[0].Unique = true }))
	p, err := New(cur, des, fakeDialect{}, Options{})
	if err != nil {
		t.Fatalf("New() error = %v: warnings must not refuse a plan", err)
	}
	if len(p.Findings) != 1 || p.Findings[0].Code != CodeUniqueModified || len(p.Destructive) != 0 {
		t.Errorf("Findings = %v, Destructive = %v", p.Findings, p.Destructive)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReadersBreak checks BC103 on an engine that does not rewrite views
// and triggers on a rename (MySQL): a view reading a renamed table or a
// dropped column (virtual or not) is reported; the table's own triggers,
// which move with a renamed table, only when their statement names it.
func TestReadersBreak(t *testing.T) {
	cur := &schema.Schema{Name: "app",
		Tables: []*schema.Table{{Name: "t", Triggers: []*schema.Object{
			{Kind: "trigger", Name: "t_audit", Table: "t", SQL: "CREATE TRIGGER `t_audit` AFTER INSERT ON `t` FOR EACH ROW SET @n = NEW.`v`"},
			{Kind: "trigger", Name: "t_count", Table: "t", SQL: "CREATE TRIGGER `t_count` AFTER INSERT ON `t` FOR EACH ROW INSERT INTO audit SELECT count(*) FROM `t`"}}}},
		Objects: []*schema.Object{{Kind: "view", Name: "tv", SQL: "CREATE VIEW `tv` AS SELECT `v` FROM `t`"}},
	}
	virtual := &schema.Column{Name: "v", Generated: &schema.Generated{Expr: "1"}}
	changes := []schema.Change{
		&schema.RenameTable{From: "t", To: "u"},
		&schema.ModifyTable{From: &schema.Table{Name: "t"}, To: &schema.Table{Name: "u"},
			Changes: []schema.Change{&schema.DropColumn{C: virtual}}},
	}
	var got []string
	for _, f := range lintPlan(changes, cur, lintDialect{}, Options{}) {
		if f.Code == CodeReaderBreaks {
			got = append(got, f.Message)
		}
	}
	want := []string{
		`rename table "t" to "u": view "tv" may read it and fail once it is gone`,
		`rename table "t" to "u": trigger "t_count" may read it and fail once it is gone`,
		`drop column "v" of table "u": trigger "t_audit" may read it and fail once it is gone`,
		`drop column "v" of table "u": view "tv" may read it and fail once it is gone`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("BC103:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNewDestructive(t *testing.T) {
	cur := realm(with(hero(), func(t *schema.Table) {
		t.Columns = append(t.Columns,
			col("power", typ("integer"), true),
			&schema.Column{Name: "shout", Type: typ("text"), Null: true, Generated: &schema.Generated{Expr: "upper(name)"}},
		)
	}), team())
	des := realm(with(hero(), func(t *schema.Table) {
		t.Columns[1].Type = typ("varchar", 10)
		t.Columns[3].Type = typ("integer", 11) // wider: not narrowing for the fake dialect
	}))

	p, err := New(cur, des, fakeDialect{}, Options{})
	var derr *DestructiveError
	if !errors.As(err, &derr) {
		t.Fatalf("New() error = %v, want a *DestructiveError", err)
	}
	if p == nil || len(p.Up) == 0 {
		t.Fatal("New() returned no plan beside the error")
	}
	want := []string{
		`DS103 drop column "power" of table "hero"`,
		`DS104 table "hero": column "name" changes from text to varchar(10)`,
		`DS102 drop table "team" (2 columns)`,
	}
	var got []string
	for _, f := range derr.Findings {
		got = append(got, f.Code+" "+f.Message)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
	wantErr := `plan has 3 destructive change(s): drop column "power" of table "hero" (DS103); ` +
		`table "hero": column "name" changes from text to varchar(10) (DS104); ` +
		`drop table "team" (2 columns) (DS102); use --allow-destructive`
	if err.Error() != wantErr {
		t.Errorf("error text:\n got %s\nwant %s", err, wantErr)
	}
	if _, ok := derr.Findings[0].Change.(*schema.DropColumn); !ok {
		t.Errorf("finding change is %T, want *schema.DropColumn", derr.Findings[0].Change)
	}

	p, err = New(cur, des, fakeDialect{}, Options{AllowDestructive: true})
	if err != nil {
		t.Fatalf("New(AllowDestructive) error = %v", err)
	}
	if len(p.Destructive) != 3 {
		t.Errorf("AllowDestructive plan has %d findings, want 3", len(p.Destructive))
	}
}

func TestNewRenameIsNotDestructive(t *testing.T) {
	p, err := New(realm(users()), realm(members()), fakeDialect{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Destructive) != 0 {
		t.Errorf("findings = %v, want none", p.Destructive)
	}
}
