package fleet_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/engine/fleet"
)

// BenchmarkApplySQLite1000 applies the 3-migration directory to 1,000 new
// SQLite files at concurrency 1, 4 and 16: the benchmark, run by
//
//	go test ./engine/fleet -run '^$' -bench ApplySQLite1000 -benchtime 1x
//
// and not in CI. One iteration is the whole fleet.
func BenchmarkApplySQLite1000(b *testing.B) {
	dir := migrationDir(b)
	for _, c := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				ts := sqliteFleet(b, 1000, dir)
				b.StartTimer()
				rs := fleet.Apply(context.Background(), ts, fleet.Options{Concurrency: c}, engine.ApplyOptions{})
				if !fleet.Reached(rs) {
					for _, r := range rs {
						if r.Err != nil {
							b.Fatalf("%s: %v", r.Target, r.Err)
						}
					}
				}
			}
		})
	}
}
