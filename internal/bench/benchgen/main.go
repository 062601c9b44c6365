// Command benchgen writes a generated schema of many tables as HCL, for
// timing schemactl by hand:
//
//	go run ./internal/bench/benchgen -n 10000 > big.hcl
//	/usr/bin/time -v schemactl plan --url sqlite://big.db --schema big.hcl --dry-run
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/schemactl/schemactl/internal/bench"
	"github.com/schemactl/schemactl/schema"
)

func main() {
	n := flag.Int("n", 1000, "number of tables")
	dialect := flag.String("dialect", "sqlite", "sqlite or mysql")
	name := flag.String("schema", "", `schema name (default "main" for sqlite; the database name for mysql)`)
	changed := flag.Bool("changed", false, "with 1% of the tables changed (a new column and index each)")
	flag.Parse()
	d := schema.Dialect(*dialect)
	if d != schema.SQLite && d != schema.MySQL {
		fmt.Fprintf(os.Stderr, "benchgen: unknown dialect %q\n", *dialect)
		os.Exit(2)
	}
	if *name == "" {
		*name = "main"
	}
	r := bench.Realm(d, *name, *n)
	if *changed {
		r = bench.Change(r)
	}
	src, err := bench.Encode(r, d)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchgen: %v\n", err)
		os.Exit(1)
	}
	os.Stdout.Write(src)
}
