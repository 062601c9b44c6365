package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/schemactl/schemactl/dialect/mysql"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestScriptMySQL runs the scripts of testdata/mysql against the MariaDB (or
// MySQL) test server, each in a database of its own that is dropped
// afterwards. The script sees its URL as $MYSQL_URL, the database name as
// $MYSQL_DB and the server's host:port as $MYSQL_HOST; $MYSQL_SERVER_URL is
// the server without a database, and $MYSQL_DEV_URL names a database
// ($MYSQL_DB_dev) that does not exist, for --dev-url to create and drop
// (and that is dropped after the script whatever it does). Without a
// server the test skips loudly, or fails under CI=true.
func TestScriptMySQL(t *testing.T) {
	server, _ := testdb.MySQL(t)
	admin := testdb.OpenMySQL(t, server)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/mysql",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		// [online-tool]: pt-online-schema-change is there to run, or CI=true,
		// where a script that needs it must fail rather than skip.
		Condition: func(cond string) (bool, error) {
			if cond != "online-tool" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := exec.LookPath(mysql.DefaultOnlineTool)
			return err == nil || os.Getenv("CI") == "true", nil
		},
		Setup: func(env *testscript.Env) error {
			name := "schemactl_ts_" + strings.ToLower(rand.Text()[:12])
			if _, err := admin.Exec("CREATE DATABASE `" + name + "`"); err != nil {
				return err
			}
			env.Defer(func() {
				if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
					env.T().Log("drop database " + name + ": " + err.Error())
				}
			})
			env.Defer(func() {
				if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "_dev`"); err != nil {
					env.T().Log("drop database " + name + "_dev: " + err.Error())
				}
			})
			// A script may create databases named after its own, as a
			// fleet (NAME_t1, NAMEx1): they are dropped whatever it does.
			env.Defer(func() {
				rows, err := admin.Query("SHOW DATABASES LIKE '" + name + "%'")
				if err != nil {
					env.T().Log("list databases " + name + "*: " + err.Error())
					return
				}
				var more []string
				for rows.Next() {
					var db string
					if rows.Scan(&db) == nil && db != name && db != name+"_dev" {
						more = append(more, db)
					}
				}
				rows.Close()
				for _, db := range more {
					if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + db + "`"); err != nil {
						env.T().Log("drop database " + db + ": " + err.Error())
					}
				}
			})
			// A script may create a user named like its database, for
			// privileges; it is dropped whatever the script does.
			env.Defer(func() {
				if _, err := admin.Exec("DROP USER IF EXISTS '" + name + "'@'%'"); err != nil {
					env.T().Log("drop user " + name + ": " + err.Error())
				}
			})
			u := *server
			u.Path = "/" + name
			env.Setenv("MYSQL_URL", u.String())
			dev, srv := u, u
			dev.Path, srv.Path = "/"+name+"_dev", "/"
			env.Setenv("MYSQL_DEV_URL", dev.String())
			env.Setenv("MYSQL_SERVER_URL", srv.String())
			env.Setenv("MYSQL_DB", name)
			env.Setenv("MYSQL_HOST", u.Host)
			env.Setenv("SCHEMACTL_URL", "")
			env.Setenv("DATABASE_URL", "")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":  cmdExitCode,
			"sqlexec":   cmdSQLExec,
			"sqlquery":  cmdSQLQuery,
			"envsubst":  cmdEnvSubst,
			"jsonshape": cmdJSONShape,
		},
	})
}

// cmdEnvSubst expands $VARS of the script's environment in files, so that
// an HCL schema can name the database the script was given.
func cmdEnvSubst(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: envsubst FILE...")
	}
	for _, name := range args {
		path := ts.MkAbs(name)
		data, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, []byte(os.Expand(string(data), ts.Getenv)), 0o644))
	}
}

// openMySQLScriptDB opens the database of a mysql:// URL for sqlexec and
// sqlquery.
func openMySQLScriptDB(ts *testscript.TestScript, raw string) *sql.DB {
	u, err := url.Parse(raw)
	ts.Check(err)
	db, _, err := mysql.Open(context.Background(), u.String())
	ts.Check(err)
	return db
}
