package engine

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/schemactl/schemactl/schema"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw     string
		dialect schema.Dialect
		display string
		wantErr string
	}{
		{raw: "sqlite://heroes.db", dialect: schema.SQLite, display: "sqlite://heroes.db"},
		{raw: "sqlite://dir/app.db", dialect: schema.SQLite, display: "sqlite://dir/app.db"},
		{raw: "sqlite:///abs/path.db", dialect: schema.SQLite, display: "sqlite:///abs/path.db"},
		{raw: "sqlite://file?mode=memory", dialect: schema.SQLite, display: "sqlite://file?mode=memory"},
		{raw: "mysql://root:s3cret@127.0.0.1:3306/app", dialect: schema.MySQL, display: "mysql://root:xxxxx@127.0.0.1:3306/app"},
		{raw: "maria://root@localhost/app", dialect: schema.MySQL, display: "maria://root@localhost/app"},
		{raw: "mariadb://u:p@h/app", dialect: schema.MySQL, display: "mariadb://u:xxxxx@h/app"},
		{raw: "", wantErr: "no database"},
		{raw: "sqlite://", wantErr: "names no file"},
		{raw: "postgres://u:s3cret@h/db", wantErr: "unknown scheme"},
		{raw: "mysql://u:s3cret@h:bad port/db", wantErr: "database URL"},
		{raw: "mysql://u:s3cret@h:3306", wantErr: "names no database"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := parseURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseURL(%q) error = %v, want %q", tt.raw, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Fatalf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseURL(%q): %v", tt.raw, err)
			}
			if got.dialect != tt.dialect || got.display != tt.display {
				t.Errorf("parseURL(%q) = %+v", tt.raw, got)
			}
		})
	}
}

// TestURLErrorsHidePassword: every URL error, as the database or as the
// scratch database, hides the password, whatever broke the URL.
func TestURLErrorsHidePassword(t *testing.T) {
	words := []string{"Alpha", "Bravo", "Charlie"}
	for _, raw := range []string{
		"mysql://u:4711/Alpha@h/x",
		"mysql://u:Alpha/Bravo@h/x",
		"mysql://u:Alpha?Bravo@h/x",
		"mysql://u:Alpha#Bravo@h/x",
		"mysql://u:Alpha:Bravo@h:port/x",
		"mysql://u:Alpha@h:3306",
		"mysql://u:Alpha@h/x?password=Bravo",
		"mysql://u:Alpha",
		"mysql//u:Alpha@h/x",
		"mysql:/u:Alpha@h/x",
		"mysql:u:Alpha@h/x",
		"postgres://u:Alpha/Bravo@h/x",
		"u:Alpha@h/x",
	} {
		t.Run(raw, func(t *testing.T) {
			ctx := context.Background()
			_, err := Open(ctx, Target{URL: raw})
			e, derr := Open(ctx, Target{DevURL: raw, Dialect: MySQL, FS: fstest.MapFS{}})
			if derr == nil {
				_, derr = e.Expected(ctx, "")
			}
			for _, err := range []error{err, derr} {
				if err == nil {
					t.Fatalf("%q: no error", raw)
				}
				for _, w := range words {
					if strings.Contains(err.Error(), w) {
						t.Errorf("error shows %q: %v", w, err)
					}
				}
			}
		})
	}
}

func TestSameDatabase(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"sqlite://app.db", "sqlite://./app.db", true},
		{"sqlite://app.db", "sqlite://app.db?mode=rwc", true},
		{"sqlite://app.db", "sqlite://other.db", false},
		{"sqlite://file?mode=memory", "sqlite://file?mode=memory", false},
		{"mysql://root@db:3306/app", "mysql://deploy:pw@DB/app", true},
		{"mysql://root@db:3306/app", "mysql://root@db:3307/app", false},
		{"mysql://root@db/app", "mysql://root@db/dev", false},
		{"mysql://root@db/", "mysql://root@db/", false},
		{"mysql://root@db/app", "sqlite://app", false},
	}
	for _, tt := range tests {
		a, err := parseLocation(tt.a, false)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseLocation(tt.b, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := sameDatabase(a, b); got != tt.same {
			t.Errorf("sameDatabase(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}
