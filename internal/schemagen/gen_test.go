package schemagen

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/dialect/sqlite"
	"github.com/schemactl/schemactl/schema"
	"github.com/schemactl/schemactl/schema/schemahcl"
)

// hclDialect is the dialect that decodes the HCL of a family, without a server.
func hclDialect(d schema.Dialect) schemahcl.Dialect {
	if d == schema.MySQL {
		return mysql.New(mysql.Flavor{})
	}
	return sqlite.New()
}

func encode(t *testing.T, r *schema.Realm, d schema.Dialect, db string) []byte {
	t.Helper()
	hd := hclDialect(d)
	src, err := schemahcl.Encode(r, hd)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	_, files, diags := schemahcl.Parse(schemahcl.Options{Dialect: hd, Database: db}, schemahcl.Source{Filename: "gen.hcl", Bytes: src})
	if diags.HasErrors() {
		var b bytes.Buffer
		_ = schemahcl.WriteDiagnostics(&b, files, diags)
		t.Fatalf("generated HCL does not decode:\n%s\n%s", b.String(), src)
	}
	return src
}

// Every realm and every edit the generator makes is valid HCL, and the same
// seed gives the same output.
func TestGeneratedSchemasDecode(t *testing.T) {
	for _, cfg := range []Config{{Dialect: schema.SQLite}, {Dialect: schema.MySQL, Schema: "app", MariaDB: true}} {
		for seed := uint64(1); seed <= 100; seed++ {
			t.Run(fmt.Sprintf("%s/%d", cfg.Dialect, seed), func(t *testing.T) {
				run := func() []byte {
					g := New(seed, cfg)
					out := encode(t, g.Realm(), cfg.Dialect, cfg.Schema)
					for range 3 {
						st := g.Edit()
						if len(st.Log) == 0 {
							t.Fatal("an edit changed nothing")
						}
						out = append(out, encode(t, st.To, cfg.Dialect, cfg.Schema)...)
					}
					_ = g.Rows(3)
					return out
				}
				if a, b := run(), run(); !bytes.Equal(a, b) {
					t.Fatal("the same seed gave different schemas")
				}
			})
		}
	}
}
