package schemahcl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/schemactl/schemactl/schema"
)

// TestEncodeGolden decodes each testdata/encode/*.hcl, encodes it, compares
// the output with the .golden file and decodes that back to the same model.
func TestEncodeGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/encode/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			opts := optionsFor(src)
			want := parseOK(t, opts, file, src)
			out, err := Encode(want, opts.Dialect)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(file, ".hcl")+".golden", out)
			opts.Vars = nil // the encoded schema has no variable blocks
			got := parseOK(t, opts, "encoded.hcl", out)
			if diff := cmp.Diff(want, got, cmpModel...); diff != "" {
				t.Errorf("decode(encode(m)) != m (-want +got):\n%s", diff)
			}
		})
	}
}

func parseOK(t *testing.T, opts Options, name string, src []byte) *schema.Realm {
	t.Helper()
	r, files, diags := Parse(opts, Source{Filename: name, Bytes: src})
	if diags.HasErrors() {
		var b bytes.Buffer
		_ = WriteDiagnostics(&b, files, diags)
		t.Fatalf("%s does not decode:\n%s\n%s", name, b.String(), src)
	}
	return r
}

func realmOf(name string, tables ...*schema.Table) *schema.Realm {
	return &schema.Realm{Schemas: []*schema.Schema{{Name: name, Tables: tables}}}
}

// TestEncodeModels encodes models built in Go, including the forms that fall
// back to sql("…"), and pins the output.
func TestEncodeModels(t *testing.T) {
	tests := []struct {
		name  string
		dl    schema.Dialect
		realm *schema.Realm
		// roundTrip is false when the fallback changes the model (a type
		// outside the registry becomes Raw).
		roundTrip bool
	}{
		{"odd_names", schema.SQLite, realmOf("main",
			&schema.Table{Name: "order items", Columns: []*schema.Column{
				{Name: "item-id", Type: schema.Type{Name: "integer"}},
				{Name: "display name", Type: schema.Type{Name: "text"}, Null: true,
					Default: &schema.Default{Kind: schema.DefaultString, Value: "say \"hi\" ${x} %{y}\n\\"}},
				{Name: "int", Type: schema.Type{Name: "int"}, Null: true},
			},
				PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "item-id"}}},
				Indexes:    []*schema.Index{{Name: "by display name", Parts: []schema.IndexPart{{Column: "display name"}, {Column: "int"}}}},
				ForeignKeys: []*schema.ForeignKey{{Name: "self ref", Columns: []string{"int"}, RefTable: "order items",
					RefColumns: []string{"item-id"}, OnDelete: schema.SetNull}},
				Checks: []*schema.Check{{Expr: "\"int\" > 0", Enforced: true}},
			}), true},
		{"fallback_types_sqlite", schema.SQLite, realmOf("main",
			&schema.Table{Name: "t", Columns: []*schema.Column{
				{Name: "a", Type: schema.Type{Name: "varchar", Args: []int{1, 2, 3}}},
				{Name: "b", Type: schema.Type{Name: "geography"}},
				{Name: "c", Type: schema.Type{Name: "enum", Values: []string{"x", "y"}}},
				{Name: "d", Type: schema.Type{Raw: "TIMESTAMP WITH TIME ZONE"}},
				{Name: "e", Type: schema.Type{Name: "real"}, Default: &schema.Default{Kind: schema.DefaultNumber, Value: ".5"}},
			}}), false},
		{"fallback_types_mysql", schema.MySQL, realmOf("app",
			&schema.Table{Name: "t", Columns: []*schema.Column{
				{Name: "a", Type: schema.Type{Name: "varchar"}},
				{Name: "b", Type: schema.Type{Name: "int", Unsigned: true, Args: []int{300}}},
				{Name: "c", Type: schema.Type{Name: "enum", Values: []string{"x", "X"}}},
				{Name: "d", Type: schema.Type{Name: "integer"}},
				{Name: "e", Type: schema.Type{Raw: "mediumint(8)", Unsigned: true}},
			}}), false},
		{"mysql_everything", schema.MySQL, &schema.Realm{Schemas: []*schema.Schema{{Name: "shop", Charset: "utf8mb4", Collate: "utf8mb4_bin", Comment: "db",
			Tables: []*schema.Table{{Name: "t", RenamedFrom: "old_t", Comment: "c", Charset: "latin1", Collate: "latin1_bin", Engine: "Aria", AutoIncrement: 7,
				Columns: []*schema.Column{
					{Name: "id", RenamedFrom: "old_id", Type: schema.Type{Name: "bigint", Unsigned: true}, AutoIncrement: true},
					{Name: "ts", Type: schema.Type{Name: "timestamp", Args: []int{3}}, Default: &schema.Default{Kind: schema.DefaultRaw, Value: "CURRENT_TIMESTAMP(3)"}, OnUpdate: "CURRENT_TIMESTAMP(3)"},
					{Name: "name", Type: schema.Type{Name: "varchar", Args: []int{20}}, Charset: "utf8mb4", Collate: "utf8mb4_bin", Comment: "who", Null: true},
					{Name: "total", Type: schema.Type{Name: "decimal", Args: []int{10, 2}}, Generated: &schema.Generated{Expr: "id * 2", Stored: true}},
					{Name: "neg", Type: schema.Type{Name: "int"}, Default: &schema.Default{Kind: schema.DefaultNumber, Value: "-1"}},
				},
				PrimaryKey: &schema.Index{Parts: []schema.IndexPart{{Column: "id", Desc: true}}, Type: "BTREE", Comment: "pk"},
				Indexes: []*schema.Index{
					{Name: "ft", Type: "FULLTEXT", Parser: "ngram", Parts: []schema.IndexPart{{Column: "name"}}},
					{Name: "pre", RenamedFrom: "old_pre", Unique: true, Comment: "p", Parts: []schema.IndexPart{{Column: "name", Prefix: 5}, {Expr: "abs(neg)"}}},
				},
				Checks: []*schema.Check{{Name: "c1", Expr: "neg < 0", Enforced: false}},
			}}}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Encode(tt.realm, dialectFor(tt.dl))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "encode", "models", tt.name+".golden"), out)
			got := parseOK(t, Options{Dialect: dialectFor(tt.dl)}, tt.name+".hcl", out)
			if tt.roundTrip {
				if diff := cmp.Diff(tt.realm, got, cmpModel...); diff != "" {
					t.Errorf("decode(encode(m)) != m (-want +got):\n%s", diff)
				}
			}
			again, err := Encode(got, dialectFor(tt.dl))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("encode(decode(encode(m))) differs:\n%s", again)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	tests := []struct {
		name  string
		realm *schema.Realm
		dl    schema.Dialect
		want  string
	}{
		{"nil realm", nil, schema.SQLite, "0 schemas"},
		{"two schemas", &schema.Realm{Schemas: []*schema.Schema{{Name: "a"}, {Name: "b"}}}, schema.MySQL, "2 schemas"},
		{"no type", realmOf("main", &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "c"}}}), schema.SQLite, `column "c": column has no type`},
		{"bad bool", realmOf("main", &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "c", Type: schema.Type{Name: "int"},
			Default: &schema.Default{Kind: schema.DefaultBool, Value: "yes"}}}}), schema.SQLite, "neither true nor false"},
		{"empty index", realmOf("main", &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "c", Type: schema.Type{Name: "int"}}},
			Indexes: []*schema.Index{{Name: "i"}}}), schema.SQLite, `index "i": no parts`},
		{"bad action", realmOf("main", &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "c", Type: schema.Type{Name: "int"}}},
			ForeignKeys: []*schema.ForeignKey{{Name: "f", Columns: []string{"c"}, RefTable: "t", RefColumns: []string{"c"}, OnDelete: "EXPLODE"}}}), schema.SQLite, "unknown on_delete action"},
	}
	if _, err := Encode(realmOf("main"), nil); err == nil || !strings.Contains(err.Error(), "no dialect") {
		t.Errorf("no dialect: err = %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Encode(tt.realm, dialectFor(tt.dl))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

var seeds = flag.Int("seeds", 150, "number of generated models per dialect in TestRoundTripProperty")

// TestRoundTripProperty checks decode(encode(m)) == m over generated models
// of both dialects, and that encoding is deterministic.
func TestRoundTripProperty(t *testing.T) {
	n := *seeds
	if testing.Short() {
		n = min(n, 30)
	}
	for _, dl := range []schema.Dialect{schema.SQLite, schema.MySQL} {
		for seed := int64(1); seed <= int64(n); seed++ {
			m := newGen(seed, dl).realm()
			out, err := Encode(m, dialectFor(dl))
			if err != nil {
				t.Fatalf("%s seed %d: encode: %v", dl, seed, err)
			}
			r, files, diags := Parse(Options{Dialect: dialectFor(dl)}, Source{Filename: "gen.hcl", Bytes: out})
			if diags.HasErrors() {
				var b bytes.Buffer
				_ = WriteDiagnostics(&b, files, diags)
				t.Fatalf("%s seed %d: the encoding does not decode:\n%s\n%s", dl, seed, b.String(), out)
			}
			if !cmp.Equal(m, r, cmpModel...) {
				t.Fatalf("%s seed %d: decode(encode(m)) != m (-want +got):\n%s\n%s", dl, seed, cmp.Diff(m, r, cmpModel...), out)
			}
			again, _ := Encode(newGen(seed, dl).realm(), dialectFor(dl))
			if !bytes.Equal(out, again) {
				t.Fatalf("%s seed %d: encoding is not deterministic", dl, seed)
			}
			if f, diags := Format("gen.hcl", out); diags.HasErrors() || !bytes.Equal(f, out) {
				t.Fatalf("%s seed %d: Format changes Encode output:\n%s", dl, seed, cmp.Diff(string(out), string(f)))
			}
		}
	}
}
