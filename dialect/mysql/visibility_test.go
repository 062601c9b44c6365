package mysql_test

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/schemactl/schemactl/dialect/mysql"
)

// TestInspectRefusesHiddenCatalog connects as users with fewer privileges
// than the catalog needs. MariaDB 10.11 hides rows of information_schema
// from them without an error: SELECT on the database hides
// REFERENTIAL_CONSTRAINTS (the foreign key's columns stay in
// KEY_COLUMN_USAGE), SELECT on single tables hides the checks too, and
// SELECT on some columns hides the other columns and SHOW CREATE TABLE.
// Inspect must refuse each, naming the table and what is hidden, and take
// the grant it recommends.
func TestInspectRefusesHiddenCatalog(t *testing.T) {
	s := newServer(t)
	s.exec(t, "CREATE TABLE p (id int PRIMARY KEY, u int, UNIQUE KEY u_uk (u))",
		`CREATE TABLE c (id int PRIMARY KEY, a int, b int, secret int, KEY ix_a (a), KEY ix_secret (secret),
	CONSTRAINT c_p_fk FOREIGN KEY (b) REFERENCES p (id), CONSTRAINT ck_a CHECK (a > 0))`)
	full, err := s.d.Inspect(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	db := quote(s.name)
	tests := []struct {
		name   string
		grants []string
		hidden string // "" when inspection must succeed
	}{
		{"select on the database", []string{"SELECT ON " + db + ".*"},
			`table "c": information_schema shows 0 of its 1 foreign keys (SHOW CREATE TABLE)`},
		{"select on each table", []string{"SELECT ON " + db + ".c", "SELECT ON " + db + ".p"},
			`table "c": information_schema shows 0 of its 1 foreign keys, 0 of its 1 checks (SHOW CREATE TABLE)`},
		{"select on some columns", []string{"SELECT (id, a, b) ON " + db + ".c", "SELECT ON " + db + ".p"},
			`table "c": SHOW CREATE TABLE is denied (privileges granted on the table or its columns), so its definition cannot be read in full`},
		{"the recommended grant", []string{"SELECT, SHOW VIEW ON " + db + ".*", "SELECT (id) ON " + db + ".c"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			user := "schemactl_t_" + strings.ToLower(rand.Text()[:10])
			s.exec(t, "CREATE USER '"+user+"'@'%'")
			t.Cleanup(func() { s.db.Exec("DROP USER IF EXISTS '" + user + "'@'%'") })
			for _, g := range tc.grants {
				s.exec(t, "GRANT "+g+" TO '"+user+"'@'%'")
			}
			raw := "mysql://" + user + "@" + s.u.Host + s.u.Path
			udb, d, err := mysql.Open(context.Background(), raw)
			if err != nil {
				t.Fatal(err)
			}
			defer udb.Close()
			if tc.hidden != "" {
				// The mismatch itself: the user's catalog lacks what the
				// table has.
				var n int
				if err := udb.QueryRow("SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?", s.name).Scan(&n); err != nil || n != 0 {
					t.Fatalf("the user sees %d foreign keys (%v); the case no longer hides them", n, err)
				}
			}
			got, err := d.Inspect(context.Background(), udb)
			var ice *mysql.IncompleteCatalogError
			switch {
			case tc.hidden == "" && err != nil:
				t.Fatalf("Inspect: %v", err)
			case tc.hidden == "":
				if diff := cmp.Diff(full, got, cmpOpts); diff != "" {
					t.Errorf("the user's inspection differs from root's (-root +user):\n%s", diff)
				}
			case !errors.As(err, &ice):
				t.Fatalf("Inspect = %v, want an IncompleteCatalogError", err)
			case len(ice.Problems) != 1 || ice.Problems[0] != tc.hidden:
				t.Errorf("problems = %q, want %q", ice.Problems, tc.hidden)
			case !strings.Contains(err.Error(), "GRANT SELECT, SHOW VIEW ON "+db+".* TO <user>"):
				t.Errorf("the error does not name the grant: %v", err)
			}
		})
	}
}
