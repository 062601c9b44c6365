package mysql_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/dialect/mysql"
)

// TestOpen detects the server and its defaults, and never shows a password
// in an error.
func TestOpen(t *testing.T) {
	s := newServer(t)
	f := s.d.Flavor
	if f.Major == 0 || f.Charset == "" || f.Collate == "" || f.DefaultCollation(f.Charset) == "" {
		t.Errorf("flavor %s: charset %q collate %q", f, f.Charset, f.Collate)
	}

	bad := *s.u
	bad.User = url.UserPassword(s.u.User.Username(), "n0t-the-Passw0rd")
	if db, _, err := mysql.Open(context.Background(), bad.String()); err == nil {
		db.Close()
		t.Skip("the test server accepts any password")
	} else if strings.Contains(err.Error(), "n0t-the-Passw0rd") {
		t.Errorf("error shows the password: %v", err)
	}

	missing := *s.u
	missing.Path = "/schemactl_no_such_database"
	if db, _, err := mysql.Open(context.Background(), missing.String()); err == nil {
		db.Close()
		t.Error("Open of a missing database succeeded")
	}
}
