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
