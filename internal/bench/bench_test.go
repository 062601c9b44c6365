package bench

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The 10,000-table cases take minutes and gigabytes before optimisation, so
// they run only when asked for: -bench-large (or SCHEMACTL_BENCH_LARGE=1)
// adds them, -bench-sizes (or SCHEMACTL_BENCH_SIZES) picks sizes exactly.
// No Test function builds more than 100 tables.
var (
	benchLarge = flag.Bool("bench-large", false, "also run the 10,000-table benchmarks (SCHEMACTL_BENCH_LARGE=1)")
	benchSizes = flag.String("bench-sizes", "", "comma-separated table counts to benchmark, e.g. 1000,10000 (SCHEMACTL_BENCH_SIZES); default 100,1000")
)

// sizes returns the table counts the benchmarks run at.
func sizes(tb testing.TB) []int {
	spec := *benchSizes
	if spec == "" {
		spec = os.Getenv("SCHEMACTL_BENCH_SIZES")
	}
	if spec == "" {
		spec = "100,1000"
		if *benchLarge || os.Getenv("SCHEMACTL_BENCH_LARGE") == "1" {
			spec += ",10000"
		}
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("bench: bad size %q in %q", f, spec)
		}
		out = append(out, n)
	}
	return out
}

// eachSize runs f as a sub-benchmark per size, named tables=N so that
// benchstat groups sizes.
func eachSize(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) { f(b, n) })
	}
}
