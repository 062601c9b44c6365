package mysql

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		url                             string
		user, pass, net, addr, database string
		err                             string
	}{
		{url: "mysql://root@127.0.0.1:3306/test", user: "root", net: "tcp", addr: "127.0.0.1:3306", database: "test"},
		{url: "mariadb://app:s3cret@db.example/shop", user: "app", pass: "s3cret", net: "tcp", addr: "db.example:3306", database: "shop"},
		{url: "maria://app@[::1]:3307/shop?timeout=2s", user: "app", net: "tcp", addr: "[::1]:3307", database: "shop"},
		{url: "mysql://app@localhost/shop?socket=/run/mysqld/mysqld.sock", user: "app", net: "unix", addr: "/run/mysqld/mysqld.sock", database: "shop"},
		{url: "mysql://app:s3cret@host/a/b", err: "one database"},
		{url: "mysql://app:s3cret@host/db?parseTime=maybe", err: "parseTime"},
		{url: "postgres://app:s3cret@host/db", err: "scheme"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config(u)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("config(%s) error = %v, want %q", tt.url, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("config(%s) error shows the password: %v", tt.url, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("config(%s): %v", tt.url, err)
			continue
		}
		if cfg.User != tt.user || cfg.Passwd != tt.pass || cfg.Net != tt.net || cfg.Addr != tt.addr || cfg.DBName != tt.database {
			t.Errorf("config(%s) = user %q pass %q %s %s db %q", tt.url, cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName)
		}
		if !cfg.ParseTime || cfg.Loc != time.UTC || cfg.Timeout == 0 {
			t.Errorf("config(%s): parseTime %v loc %v timeout %v", tt.url, cfg.ParseTime, cfg.Loc, cfg.Timeout)
		}
	}
}

// TestConfigInterpolation: arguments are interpolated client-side (one
// round trip a query) only where the driver's escaping is safe.
func TestConfigInterpolation(t *testing.T) {
	for raw, want := range map[string]bool{
		"mysql://root@h/db":                                    true,
		"mysql://root@h/db?charset=utf8mb4":                    true,
		"mysql://root@h/db?charset=latin1,utf8":                true,
		"mysql://root@h/db?charset=gbk":                        false,
		"mysql://root@h/db?charset=utf8mb4,sjis":               false,
		"mysql://root@h/db?interpolateParams=false":            false,
		"mysql://root@h/db?charset=gbk&interpolateParams=true": true,
		"mysql://root@h/db?collation=utf8mb4_bin":              true,
		"mysql://root@h/db?collation=gbk_chinese_ci":           false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config(u)
		if err != nil {
			t.Errorf("config(%s): %v", raw, err)
			continue
		}
		if cfg.InterpolateParams != want {
			t.Errorf("config(%s).InterpolateParams = %v, want %v", raw, cfg.InterpolateParams, want)
		}
	}
}

// TestParseURLRefusesBrokenPasswords: a password with a character that
// must be percent-encoded breaks the URL; it is refused, never read as
// another host, database or parameter, and the error hides every part of
// the password.
func TestParseURLRefusesBrokenPasswords(t *testing.T) {
	words := []string{"Alpha", "Bravo", "Charlie"}
	tests := []struct{ raw, err string }{
		{"mysql://u:4711/Alpha@h/x", `"mysql://u:xxxxx@h/x" has an '@' after the host`},
		{"mysql://u:Alpha/Bravo@h/x", `"mysql://u:xxxxx@h/x" does not parse`},
		{"mysql://u:12?Alpha@h/x", `"mysql://u:xxxxx@h/x" has an '@' after the host`},
		{"mysql://u:Alpha?Bravo@h/x", `"mysql://u:xxxxx@h/x" does not parse`},
		{"mysql://u:Alpha#Bravo@h/x", `"mysql://u:xxxxx@h/x" holds a '#'`},
		{"mysql://u:Alpha@h/x#Bravo", `"mysql://u:xxxxx@h/x#Bravo" holds a '#'`},
		{"mysql://u:Alpha@h/x?tls=b@c", `"mysql://u:xxxxx@c" has an '@' after the host`},
		{"mysql://u:Alpha@h:port/x", `"mysql://u:xxxxx@h:port/x" does not parse`},
		{"mysql://u:Alpha", ""},
		{"mysql//u:Alpha@h/x", `scheme "mysql//u" is not mysql`},
		{"mysql:/u:Alpha@h/x", `"mysql:/u:xxxxx@h/x": want mysql://user:password@host:3306/dbname`},
		{"mysql:u:Alpha@h/x", `want mysql://`},
		{"MariaDB:u:Alpha@h/x", `want MariaDB://`},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.raw)
		if tt.err == "" {
			// Parses as host "u", port "Alpha"? No: a port is a number.
			if err == nil {
				t.Errorf("ParseURL(%q) = nil error", tt.raw)
			}
		} else if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseURL(%q) error = %v, want %q", tt.raw, err, tt.err)
		}
		if err == nil {
			continue
		}
		for _, w := range words {
			if strings.Contains(err.Error(), w) && !strings.Contains(tt.raw, "#"+w) {
				t.Errorf("ParseURL(%q) error shows %q: %v", tt.raw, w, err)
			}
		}
	}
	for _, raw := range []string{"mysql://u:p%2F%23%3F%40%3A%25%20@h:3306/db", "maria://u@h/db?tls=true", "mysql:///db"} {
		if _, err := ParseURL(raw); err != nil {
			t.Errorf("ParseURL(%q): %v", raw, err)
		}
	}
}
