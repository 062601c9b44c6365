package fleet

import (
	"context"

	"github.com/schemactl/schemactl/engine"
)

// Plan plans every target against the schema of plan, as a dry run
// (whatever plan.DryRun says: a fleet shares one migration directory,
// into which one database's plan would be written, not fifty). A result
// has From the target's version, To the directory's head, and Plan the
// target's plan, nil when it has none (it failed before planning, or was
// skipped); opts.Done sees it too. A plan refused for destructive changes
// comes with a failed result carrying the *lint.DestructiveError.
//
// The file's schema block (MySQL) need not name each target's database:
// the targets name them. Each target plans on its own, so targets whose live schemas differ get
// different plans: Group gathers the same ones.
func Plan(ctx context.Context, targets []engine.Target, opts Options, plan engine.PlanOptions) []Result {
	plan.DryRun, plan.Message, plan.Dev = true, "", false
	// One file for many databases: its schema block cannot name them all.
	plan.AnyDatabase = true
	// plans[i] is written by target i's goroutine before it reports, and
	// read by that report: no lock needed.
	plans := make([]*engine.Plan, len(targets))
	if done := opts.Done; done != nil {
		opts.Done = func(r Result) {
			r.Plan = plans[r.Index]
			done(r)
		}
	}
	rs := run(ctx, targets, opts, func(ctx context.Context, i int, e *engine.Engine) (string, string, error) {
		p, err := e.Plan(ctx, plan)
		if p == nil {
			return "", "", err
		}
		if p.Plan != nil {
			plans[i] = p
		}
		return p.Current, p.Head, err
	})
	for i := range rs {
		rs[i].Plan = plans[i]
	}
	return rs
}

// A PlanGroup is the targets that got one same plan: the same statements
// up and down. What depends on each target's data (table sizes, the time
// a copy blocks writes, the findings and notes those raise) may differ
// within a group: Plan is the target's whose copies take longest, so that
// a reader sees the worst case, and Largest its index.
type PlanGroup struct {
	Plan    *engine.Plan
	Largest int
	Targets []int // indexes in the list of targets, in order
}

// Group gathers the results of Plan whose plans have changes by their
// statements, in the order of their first target. Empty plans and missing
// ones are left out.
func Group(rs []Result) []PlanGroup {
	var groups []PlanGroup
	seen := map[string]int{}
	for i, r := range rs {
		p := r.Plan
		if p == nil || p.Plan == nil || p.Empty() {
			continue
		}
		k := planKey(p)
		g, ok := seen[k]
		if !ok {
			g = len(groups)
			seen[k] = g
			groups = append(groups, PlanGroup{Plan: p, Largest: i})
		}
		groups[g].Targets = append(groups[g].Targets, i)
		if a, b := copyCost(p), copyCost(groups[g].Plan); a[0] > b[0] || a[0] == b[0] && a[1] > b[1] {
			groups[g].Plan, groups[g].Largest = p, i
		}
	}
	return groups
}

// copyCost orders plans by how long their copies block writes, then by
// the rows they copy.
func copyCost(p *engine.Plan) [2]int64 {
	var c [2]int64
	for _, a := range p.Algorithms {
		c[0] += int64(a.CopyTime)
		if a.Size != nil {
			c[1] += a.Size.Rows
		}
	}
	return c
}

// planKey is what makes two plans the same: their statements, comments
// included (they name what each statement changes).
func planKey(p *engine.Plan) string {
	var b []byte
	for _, sec := range [][]string{sqls(p, true), sqls(p, false)} {
		for _, s := range sec {
			b = append(b, s...)
			b = append(b, 0)
		}
		b = append(b, 1)
	}
	return string(b)
}

func sqls(p *engine.Plan, up bool) []string {
	stmts := p.Down
	if up {
		stmts = p.Up
	}
	out := make([]string, 0, 2*len(stmts))
	for _, st := range stmts {
		out = append(out, st.Comment, st.SQL)
	}
	return out
}
