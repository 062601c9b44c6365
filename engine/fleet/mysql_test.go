package fleet_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
	"github.com/schemactl/schemactl/internal/testdb"
)

// TestMariaDBFleet: a glob over SHOW DATABASES finds the test's databases
// (and not one that SQL LIKE's '_' would have matched); one target fails
// in the middle of 0002 with the others continuing; the re-run resumes the
// failed one at its failed statement and runs nothing elsewhere.
func TestMariaDBFleet(t *testing.T) {
	n, _ := counts()
	server, _ := testdb.MySQL(t)
	admin := testdb.OpenMySQL(t, server)
	prefix := "schemactl_fleet_" + strings.ToLower(rand.Text()[:8])
	names := []string{prefix + "x01"} // matches LIKE 'prefix_%', not the glob prefix_*
	for i := range n {
		names = append(names, fmt.Sprintf("%s_%02d", prefix, i))
	}
	for _, name := range names {
		t.Cleanup(func() {
			if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
				t.Errorf("drop %s: %v", name, err)
			}
		})
		if _, err := admin.Exec("CREATE DATABASE `" + name + "`"); err != nil {
			t.Fatal(err)
		}
	}
	bad := n / 2
	if _, err := admin.Exec(fmt.Sprintf("CREATE TABLE `%s_%02d`.b (x int)", prefix, bad)); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	glob := *server
	glob.Path = "/" + prefix + "_*"
	urls, matches, err := fleet.Expand(ctx, []string{glob.String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) != n || len(matches) != 1 || len(matches[0].URLs) != n {
		t.Fatalf("the glob matched %d databases, want %d: %v", len(urls), n, urls)
	}
	dir := migrationDir(t)
	ts := make([]engine.Target, n)
	for i, u := range urls {
		if !strings.HasSuffix(u, fmt.Sprintf("/%s_%02d", prefix, i)) {
			t.Fatalf("target %d is %s", i, u)
		}
		ts[i] = engine.Target{URL: u, Dir: dir}
	}

	rs := fleet.Apply(ctx, ts, fleet.Options{Concurrency: 4, OnFailure: fleet.Continue}, engine.ApplyOptions{})
	for i, r := range rs {
		if i == bad {
			if r.Outcome != fleet.Failed || r.To != "0001" || !strings.Contains(r.Target, fmt.Sprintf("%s_%02d", prefix, bad)) {
				t.Errorf("the broken target: %+v", r)
			}
			continue
		}
		if r.Outcome != fleet.OK || r.To != "0003" {
			t.Errorf("target %d: %+v", i, r)
		}
	}

	if _, err := admin.Exec(fmt.Sprintf("DROP TABLE `%s_%02d`.b", prefix, bad)); err != nil {
		t.Fatal(err)
	}
	rs = fleet.Apply(ctx, ts, fleet.Options{Concurrency: 4}, engine.ApplyOptions{})
	if !fleet.Reached(rs) {
		t.Fatalf("re-run: %+v", rs)
	}
	for i, r := range rs {
		if ran := r.From != r.To; ran != (i == bad) || r.To != "0003" {
			t.Errorf("re-run, target %d: %s -> %s", i, r.From, r.To)
		}
	}
	// statement 1 of 0002 was not run again: table a holds what it held
	var tables int
	if err := admin.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?", fmt.Sprintf("%s_%02d", prefix, bad)).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables < 4 {
		t.Errorf("%d tables in the fixed target", tables)
	}
}
