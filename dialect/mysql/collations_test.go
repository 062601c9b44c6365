package mysql

import (
	"strings"
	"testing"

	"github.com/schemactl/schemactl/schema"
)

// TestCollationFlavors checks the collation rules for servers the test
// server is not: a MariaDB that accepts MySQL's 0900 names as aliases of
// its uca1400_nopad collations (≥ 11.4.5), one before uca1400, MySQL 8
// given MariaDB's names, and no server at all.
func TestCollationFlavors(t *testing.T) {
	names := func(ns ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range ns {
			m[n] = true
		}
		return m
	}
	common := []string{"utf8mb4_general_ci", "utf8mb4_bin", "utf8mb4_general_nopad_ci", "utf8mb4_nopad_bin", "utf8mb4_unicode_520_ci", "utf8mb4_unicode_520_nopad_ci"}
	uca := append([]string{"utf8mb4_uca1400_ai_ci", "utf8mb4_uca1400_nopad_ai_ci", "utf8mb4_uca1400_nopad_as_cs"}, common...)
	with := func(version string, ns map[string]bool) Flavor {
		f := ParseFlavor(version)
		f.collationNames = ns
		return f
	}
	tests := []struct {
		name    string
		f       Flavor
		co      string
		alias   string // what the desired schema is normalised to
		refused string // "" accepted, else the suggestion the error must name
	}{
		{"10.11 without uca1400", with("10.11.19-MariaDB", names(common...)), "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci", "use utf8mb4_unicode_520_nopad_ci"},
		{"11.2 with uca1400", with("11.2.6-MariaDB", names(uca...)), "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci", "use utf8mb4_uca1400_nopad_ai_ci"},
		{"11.2 case sensitive", with("11.2.6-MariaDB", names(uca...)), "utf8mb4_0900_as_cs", "utf8mb4_0900_as_cs", "use utf8mb4_uca1400_nopad_as_cs"},
		{"11.4.5 alias listed", with("11.4.5-MariaDB", names(append(uca, "utf8mb4_0900_ai_ci")...)), "utf8mb4_0900_ai_ci", "utf8mb4_uca1400_nopad_ai_ci", ""},
		{"11.4.5 alias unlisted", with("11.4.5-MariaDB", names(uca...)), "utf8mb4_0900_ai_ci", "utf8mb4_uca1400_nopad_ai_ci", ""},
		{"MariaDB name on MySQL", with("8.0.36", names("utf8mb4_0900_ai_ci", "utf8mb4_unicode_520_ci", "utf8mb4_general_ci")), "utf8mb4_uca1400_nopad_ai_ci", "utf8mb4_uca1400_nopad_ai_ci", "use utf8mb4_0900_ai_ci"},
		{"unknown name", with("10.11.19-MariaDB", names(common...)), "utf8mb4_klingon_ci", "utf8mb4_klingon_ci", "use utf8mb4_general_ci"},
		{"no server", Flavor{}, "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci", ""},
		{"no server, MariaDB 11.4.5", ParseFlavor("11.4.5-MariaDB"), "utf8mb4_0900_ai_ci", "utf8mb4_uca1400_nopad_ai_ci", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.collationAlias(tt.co); got != tt.alias {
				t.Errorf("collationAlias(%s) = %s, want %s", tt.co, got, tt.alias)
			}
			d := New(tt.f)
			s := &schema.Schema{Name: "app", Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{
				{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{10}}, Collate: tt.co,
					Pos: schema.Range{Filename: "app.hcl", Start: schema.Position{Line: 3, Column: 5}}},
			}}}}
			err := d.checkCollations(s)
			switch {
			case tt.refused == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.refused != "" && err == nil:
				t.Errorf("accepted, want an error naming %q", tt.refused)
			case err != nil:
				for _, want := range []string{`app.hcl:3:5: column "c" of table "t": collation ` + tt.co + " does not exist on ", tt.refused} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
			}
		})
	}
}
