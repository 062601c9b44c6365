package sqlite

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/schema"
)

// desiredRealm is a realm as the HCL decoder hands it over: the heroes
// example of the language reference plus a table written in the spellings a
// user may choose (raw types, parenthesised SQL, actions with underscores,
// names in another case, unsorted indexes).
func desiredRealm() *schema.Realm {
	team := &schema.Table{
		Name:    "team",
		Comment: "comments have no effect on SQLite",
		Columns: []*schema.Column{
			{Name: "id", Type: typ("integer"), AutoIncrement: true},
			{Name: "name", Type: typ("text")},
			{Name: "headquarters", Type: typ("text"), Null: true, Comment: "city"},
		},
		PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}},
		Indexes:    []*schema.Index{idx("team_name_uq", true, "name")},
	}
	hero := &schema.Table{
		Name:   "hero",
		Strict: true,
		Columns: []*schema.Column{
			{Name: "id", Type: typ("integer")},
			{Name: "name", Type: typ("text")},
			{Name: "secret_name", Type: typ("text")},
			{Name: "age", Type: typ("integer"), Null: true},
			{Name: "team_id", Type: typ("integer"), Null: true},
			{Name: "created_at", Type: typ("text"), Default: rawd("CURRENT_TIMESTAMP")},
			{Name: "name_key", Type: typ("text"), Generated: &schema.Generated{Expr: "lower(name)"}},
		},
		PrimaryKey: pk("id"),
		ForeignKeys: []*schema.ForeignKey{{Name: "hero_team_fk", Columns: []string{"team_id"}, RefTable: "team",
			RefColumns: []string{"id"}, OnDelete: "SET_NULL"}},
		Indexes: []*schema.Index{
			idx("hero_name_key_idx", false, "name_key"),
			{Name: "hero_adult_idx", Parts: []schema.IndexPart{{Column: "age"}}, Where: "age >= 18"},
		},
		Checks: []*schema.Check{{Name: "hero_age_range", Expr: "age IS NULL OR age BETWEEN 0 AND 200"}},
	}
	orders := &schema.Table{
		Name: "Orders",
		Columns: []*schema.Column{
			{Name: "OrderId", Type: raw("INTEGER")},
			{Name: "Total", Type: raw("NUMERIC(10, 2)"), Default: num("04.990")},
			{Name: "Status", Type: raw("VARCHAR(16)"), Default: rawd("('new')")},
			{Name: "Paid", Type: raw("BOOLEAN"), Default: &schema.Default{Kind: schema.DefaultBool, Value: "FALSE"}},
			{Name: "Note", Type: raw("BLOB SUB_TYPE TEXT"), Null: true, Default: rawd("NULL")},
			{Name: "Big", Type: schema.Type{Name: "unsigned big int"}, Null: true},
			{Name: "TeamId", Type: typ("integer"), Null: true},
			{Name: "Code", Type: raw("text"), Null: true, Collate: "nocase"},
			{Name: "Stamp", Type: raw("timestamp"), Null: true, Default: rawd("(datetime('now'))")},
		},
		PrimaryKey: pk("orderid"),
		Indexes: []*schema.Index{
			{Name: "orders_total", Parts: []schema.IndexPart{{Expr: "(Total * 100)", Desc: true}}, Where: "(Total > 0)"},
			idx("Orders_code", true, "code"),
		},
		ForeignKeys: []*schema.ForeignKey{
			{Name: "orders_team", Columns: []string{"teamid"}, RefTable: "TEAM", RefColumns: []string{"ID"}, OnUpdate: "no_action", OnDelete: "cascade"},
		},
		Checks: []*schema.Check{{Expr: "(Total >= 0)"}, {Name: "status_known", Expr: "Status IN ('new', 'paid')"}},
	}
	return &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{team, orders, hero}}}}
}

// TestNormalizeDesired creates a normalised desired realm and inspects it
// back: the two must be equal, so that a plan right after an apply is empty.
func TestNormalizeDesired(t *testing.T) {
	d := New()
	desired := desiredRealm()
	if err := d.Normalize(desired); err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t)
	migrate(t, db, createAll(t, desired))
	if diff := cmp.Diff(desired, inspectDB(t, db), cmpOpts); diff != "" {
		t.Errorf("inspect after create (-normalized desired +inspected):\n%s", diff)
	}

	again := desiredRealm()
	if err := d.Normalize(again); err != nil {
		t.Fatal(err)
	}
	if err := d.Normalize(again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(desired, again, cmpOpts); diff != "" {
		t.Errorf("Normalize is not idempotent (-once +twice):\n%s", diff)
	}

	orders, _ := desired.Schemas[0].Table("Orders")
	want := &schema.Table{
		Name: "Orders",
		Columns: []*schema.Column{
			{Name: "OrderId", Type: typ("integer")},
			{Name: "Total", Type: typ("numeric", 10, 2), Default: num("4.99")},
			{Name: "Status", Type: typ("varchar", 16), Default: str("new")},
			{Name: "Paid", Type: typ("boolean"), Default: &schema.Default{Kind: schema.DefaultBool, Value: "false"}},
			{Name: "Note", Type: raw("BLOB SUB_TYPE TEXT"), Null: true},
			{Name: "Big", Type: typ("unsigned big int"), Null: true},
			{Name: "TeamId", Type: typ("integer"), Null: true},
			{Name: "Code", Type: typ("text"), Null: true, Collate: "NOCASE"},
			{Name: "Stamp", Type: typ("timestamp"), Null: true, Default: rawd("datetime('now')")},
		},
		PrimaryKey: pk("OrderId"),
		Indexes: []*schema.Index{
			idx("Orders_code", true, "Code"),
			{Name: "orders_total", Parts: []schema.IndexPart{{Expr: "Total * 100", Desc: true}}, Where: "Total > 0"},
		},
		ForeignKeys: []*schema.ForeignKey{
			{Name: "orders_team", Columns: []string{"TeamId"}, RefTable: "team", RefColumns: []string{"id"}, OnDelete: schema.Cascade},
		},
		Checks: []*schema.Check{{Expr: "Total >= 0", Enforced: true}, {Name: "status_known", Expr: "Status IN ('new', 'paid')", Enforced: true}},
	}
	if diff := cmp.Diff(want, orders, cmpOpts); diff != "" {
		t.Errorf("normalized Orders (-want +got):\n%s", diff)
	}
}

func TestNormalizeRejectsOtherSchemas(t *testing.T) {
	r := &schema.Realm{Schemas: []*schema.Schema{{Name: "app"}}}
	if err := New().Normalize(r); err == nil {
		t.Error("Normalize accepted a schema other than main")
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want schema.Type
	}{
		{"", typ("blob")},
		{"  ", typ("blob")},
		{"INTEGER", typ("integer")},
		{"VARCHAR(255)", typ("varchar", 255)},
		{"varchar ( 255 )", typ("varchar", 255)},
		{"NUMERIC(10,2)", typ("numeric", 10, 2)},
		{"NVARCHAR(160)", typ("nvarchar", 160)},
		{"unsigned big int", typ("unsigned big int")},
		{"UNSIGNED\tBIG   INT(8)", typ("unsigned big int", 8)},
		{"Double Precision", typ("double precision")},
		{"BLOB SUB_TYPE TEXT", raw("BLOB SUB_TYPE TEXT")},
		{"varchar(255", raw("varchar(255")},
		{"decimal(1,2,3)", raw("decimal(1,2,3)")},
		{"decimal(-1)", raw("decimal(-1)")},
		{"decimal()", raw("decimal()")},
		{"decimal(1,)", raw("decimal(1,)")},
		{"varchar(x)", raw("varchar(x)")},
		{"int unsigned", raw("int unsigned")},
		{`"int"`, raw(`"int"`)},
		{" text ", typ("text")},
	}
	d := New()
	for _, tt := range tests {
		if got := d.ParseType(tt.in); !cmp.Equal(tt.want, got) {
			t.Errorf("ParseType(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseDefault(t *testing.T) {
	tests := []struct {
		in   string
		want *schema.Default
	}{
		{"NULL", nil},
		{"(null)", nil},
		{"'x'", str("x")},
		{"'it''s'", str("it's")},
		{"(('x'))", str("x")},
		{"0", num("0")},
		{"-0", num("0")},
		{"+007", num("7")},
		{"1.50", num("1.5")},
		{"-.5", num("-0.5")},
		{"2.", num("2")},
		{"1e3", rawd("1e3")},
		{"0x1F", rawd("0x1F")},
		{"TRUE", &schema.Default{Kind: schema.DefaultBool, Value: "true"}},
		{"CURRENT_TIMESTAMP", rawd("CURRENT_TIMESTAMP")},
		{"(1) + (2)", rawd("(1) + (2)")},
		{"x'00'", rawd("x'00'")},
		{`"x"`, rawd(`"x"`)},
	}
	for _, tt := range tests {
		if got := parseDefault(tt.in, false); !cmp.Equal(tt.want, got) {
			t.Errorf("parseDefault(%q, false) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	// A column of TEXT or BLOB affinity keeps a number as spelled: it
	// stores '1.0' for 1.0 and '1' for 1.
	kept := []struct {
		in   string
		want *schema.Default
	}{
		{"1.0", num("1.0")},
		{"(1.0)", num("1.0")},
		{"01", num("01")},
		{"-1.50", num("-1.50")},
		{"+007", num("+007")},
		{"1e3", num("1e3")},
		{"0x1F", num("0x1F")},
		{"'1.0'", str("1.0")},
		{"1 + 1", rawd("1 + 1")},
		{"- x", rawd("- x")},
	}
	for _, tt := range kept {
		if got := parseDefault(tt.in, true); !cmp.Equal(tt.want, got) {
			t.Errorf("parseDefault(%q, true) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestStripParens(t *testing.T) {
	for in, want := range map[string]string{
		"a":                 "a",
		" (a) ":             "a",
		"((a + b))":         "a + b",
		"(a) + (b)":         "(a) + (b)",
		"((a) + (b))":       "(a) + (b)",
		"('(' || x)":        "'(' || x",
		"(f(x)) -- comment": "(f(x)) -- comment",
		"":                  "",
	} {
		if got := stripParens(in); got != want {
			t.Errorf("stripParens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNormalizeNullableKey models which primary keys SQLite lets hold
// NULL: only a rowid table's key that is not the rowid alias.
func TestNormalizeNullableKey(t *testing.T) {
	tests := []struct {
		name          string
		strict, noRow bool
		typ           string
		wantNull      bool
	}{
		{name: "rowid table text key", typ: "text", wantNull: true},
		{name: "rowid alias", typ: "integer", wantNull: false},
		{name: "strict", strict: true, typ: "text", wantNull: false},
		{name: "without rowid", noRow: true, typ: "text", wantNull: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl := &schema.Table{Name: "t", Strict: tt.strict, WithoutRowID: tt.noRow,
				Columns:    []*schema.Column{{Name: "k", Type: typ(tt.typ), Null: true}},
				PrimaryKey: pk("k")}
			r := &schema.Realm{Schemas: []*schema.Schema{{Name: "main", Tables: []*schema.Table{tbl}}}}
			if err := (&Dialect{}).Normalize(r); err != nil {
				t.Fatal(err)
			}
			if got := tbl.Columns[0].Null; got != tt.wantNull {
				t.Errorf("Null = %v, want %v", got, tt.wantNull)
			}
		})
	}
}
