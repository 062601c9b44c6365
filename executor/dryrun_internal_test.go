package executor

import "testing"

// TestForecastDoubt: what a dry run says the next run does with a
// statement in doubt is what resolveDoubt decides for the same record
// before it looks at the catalog.
func TestForecastDoubt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		resolve Resolution
		in      Intent
		want    string
		first   int // Resume.First with Done 2
	}{
		{"transactional DML", ResolveAuto, Intent{Statement: 3, Kind: IntentTx}, DecideRerun, 2},
		{"session state", ResolveAuto, Intent{Statement: 3, Kind: IntentRerun}, DecideRerun, 2},
		{"DDL with a pre-image", ResolveAuto, Intent{Statement: 3, Kind: IntentImage, Image: "x"}, DecideCompare, 2},
		{"opaque", ResolveAuto, Intent{Statement: 3, Kind: IntentOpaque, Image: "TRUNCATE"}, DecideRefuse, 2},
		{"older row", ResolveAuto, Intent{}, DecideRefuse, 2},
		{"unknown kind", ResolveAuto, Intent{Statement: 3, Kind: "new"}, DecideRefuse, 2},
		{"--resume-done", ResumeDone, Intent{Statement: 3, Kind: IntentOpaque}, DecideSkip, 3},
		{"--resume-rerun", ResumeRerun, Intent{Statement: 3, Kind: IntentOpaque}, DecideRerun, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := forecastDoubt(tc.resolve, tc.in, 3)
			if got != tc.want || why == "" {
				t.Fatalf("forecastDoubt = %q, %q; want %q with a reason", got, why, tc.want)
			}
			rs := &Resume{Done: 2, Total: 4, InDoubt: true, Decision: got}
			if f := rs.First(); f != tc.first {
				t.Errorf("First() = %d, want %d", f, tc.first)
			}
		})
	}
	if f := (*Resume)(nil).First(); f != 0 {
		t.Errorf("nil Resume: First() = %d, want 0", f)
	}
}
