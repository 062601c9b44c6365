package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

// TestLintDownRestores: the down section cannot bring back what the up
// section dropped once the tables have rows; a warning each, and the plan
// is not refused for it.
func TestLintDownRestores(t *testing.T) {
	addCol := func(c *schema.Column) func(*schema.Table) {
		return func(t *schema.Table) { t.Columns = append(t.Columns, c) }
	}
	withFK := with(hero(), func(t *schema.Table) {
		t.Columns = append(t.Columns, col("team_id", typ("integer"), true))
		t.ForeignKeys = append(t.ForeignKeys, fk("hero_team_fk", []string{"team_id"}, "team", "id"))
	})
	withoutFK := with(hero(), addCol(col("team_id", typ("integer"), true)))
	code := &schema.Column{Name: "code", Type: typ("varchar", 5), Default: &schema.Default{Kind: schema.DefaultString, Value: "x"}}
	tests := []struct {
		name     string
		cur, des *schema.Realm
		want     []string // the down findings: code and message
	}{
		{
			name: "dropped NOT NULL column without a default",
			cur:  realm(with(hero(), addCol(col("email", typ("text"), false)))),
			des:  realm(hero()),
			want: []string{`MF106 the down section adds column "email" back to table "hero" NOT NULL without a default: the rows it held do not come back, and the engine gives them its implicit default or refuses`},
		},
		{
			name: "dropped nullable column",
			cur:  realm(with(hero(), addCol(col("email", typ("text"), true)))),
			des:  realm(hero()),
		},
		{
			name: "dropped parent still referenced",
			cur:  realm(withFK, team()),
			des:  realm(withoutFK),
			want: []string{`MF107 the down section re-creates table "team" empty and adds foreign key "hero_team_fk" (team_id) of table "hero" back: it fails once a row of "hero" refers to a row of "team"`},
		},
		{
			name: "dropped child and parent: both come back empty",
			cur:  realm(withFK, team()),
			des:  realm(),
		},
		{
			name: "unique index over a column that comes back as one default",
			cur: realm(with(hero(), func(t *schema.Table) {
				t.Columns = append(t.Columns, code)
				t.Indexes = append(t.Indexes, idx("hero_code", true, "code"))
			})),
			des:  realm(hero()),
			want: []string{`MF108 the down section adds column "code" back to table "hero" with one value for every row, and unique index "hero_code" over it: it fails once the table has two rows`},
		},
		{
			name: "primary key over a column that comes back as the statement's time",
			cur: realm(&schema.Table{
				Name:       "log",
				Columns:    []*schema.Column{{Name: "at", Type: typ("datetime"), Default: &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP"}}, col("msg", typ("text"), true)},
				PrimaryKey: pk("at"),
			}),
			des:  realm(&schema.Table{Name: "log", Columns: []*schema.Column{col("msg", typ("text"), true)}}),
			want: []string{`MF108 the down section adds column "at" back to table "log" with one value for every row, and the primary key over it: it fails once the table has two rows`},
		},
		{
			name: "unique index over a nullable column without a default",
			cur: realm(with(hero(), func(t *schema.Table) {
				t.Columns = append(t.Columns, col("code", typ("text"), true))
				t.Indexes = append(t.Indexes, idx("hero_code", true, "code"))
			})),
			des: realm(hero()),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.cur, tt.des, fakeDialect{}, Options{AllowDestructive: true})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p.Findings {
				if f.Code >= CodeDownNotNull && f.Code <= CodeDownUniqueDefault {
					if f.Severity != SeverityWarning {
						t.Errorf("%s has severity %s, want warning", f.Code, f.Severity)
					}
					got = append(got, f.Code+" "+f.Message)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("down findings (-want +got):\n%s", diff)
			}
		})
	}
}
