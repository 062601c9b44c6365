package executor

import (
	"context"
	"fmt"
)

// Resume is where a run picks up a migration that an earlier run left
// partly done (engines without transactional DDL), as a dry run foresees
// it without the lock: statements 1..Done ran and stay, and the run starts
// after them. When statement Done+1 is in doubt (InDoubt), Decision is
// what the next run will do with it and Why says why.
type Resume struct {
	Version string
	File    string
	Done    int
	Total   int
	InDoubt bool
	// Decision is one of the Decide* values when InDoubt, else "".
	Decision string
	Why      string
}

// What a run will do with a statement in doubt, as a dry run can tell.
const (
	// DecideRerun: it did not take effect; the run runs it again.
	DecideRerun = "rerun"
	// DecideSkip: it took effect (the operator said so); the run carries
	// on after it.
	DecideSkip = "skip"
	// DecideCompare: the run compares the catalog with the image taken
	// before the statement: as it was, the statement runs again; as the
	// statement leaves it, the run carries on after it; anything else is
	// refused.
	DecideCompare = "compare"
	// DecideRefuse: the run refuses until --resume-done or --resume-rerun
	// gives the answer.
	DecideRefuse = "refuse"
)

// First is the index (0-based) of the first statement the run would
// execute: after Done, and after the statement in doubt when it is
// skipped. A DecideCompare statement is counted as one that runs.
func (r *Resume) First() int {
	if r == nil {
		return 0
	}
	if r.InDoubt && r.Decision == DecideSkip {
		return r.Done + 1
	}
	return r.Done
}

// DowngradeDryRun reports what Downgrade(ctx, target) would run, and
// changes nothing.
func (e *Executor) DowngradeDryRun(ctx context.Context, target string) (*Result, error) {
	return e.migrate(ctx, target, Down, true, false)
}

// forecastResume foresees, for a dry run, how a run resumes todo[0] when
// the last run left it partly done: the checks resumeAt makes under the
// lock that need no lock, and the decision resolveDoubt would take as far
// as it is known without running anything. Nil when nothing is partial.
func (e *Executor) forecastResume(todo []*Migration, dir Direction, last *Record) (*Resume, error) {
	if !last.partial() || len(todo) == 0 {
		if e.Resolve != ResolveAuto {
			return nil, fmt.Errorf("--resume-%s: no statement is in doubt; the last run left nothing to resolve", e.Resolve)
		}
		return nil, nil
	}
	m := todo[0]
	if err := checkRan(m, dir, last); err != nil {
		return nil, err
	}
	stmts := m.Statements(dir)
	rs := &Resume{Version: m.Version, File: m.File, Done: last.Done, Total: len(stmts), InDoubt: last.inDoubt()}
	if !rs.InDoubt {
		if e.Resolve != ResolveAuto {
			return nil, fmt.Errorf("--resume-%s: no statement is in doubt: %s stopped at statement %d, which failed and left nothing", e.Resolve, m.File, last.Done+1)
		}
		return rs, nil
	}
	k, err := doubtInFile(m, dir, last, e.Resolve)
	if err != nil {
		return nil, err
	}
	rs.Decision, rs.Why = forecastDoubt(e.Resolve, last.Next, k)
	return rs, nil
}

// forecastDoubt is what resolveDoubt will decide for statement k, or
// that it will look at the catalog.
func forecastDoubt(resolve Resolution, in Intent, k int) (decision, why string) {
	switch resolve {
	case ResumeDone:
		return DecideSkip, "--resume-done says it took effect"
	case ResumeRerun:
		return DecideRerun, "--resume-rerun says it did not take effect"
	}
	if in.Statement != k {
		return DecideRefuse, "the history row does not say what it was (written by an older schemactl): check the database, then pass --resume-done or --resume-rerun"
	}
	switch in.Kind {
	case IntentTx:
		return DecideRerun, "it ran in one transaction with its record, which did not commit: it did not take effect"
	case IntentRerun:
		return DecideRerun, "it only sets session state, which a new session lacks"
	case IntentImage:
		return DecideCompare, "the next run compares the catalog with the image taken before it: as before it, it runs again; as it would leave it, the run carries on after it; otherwise it refuses"
	case IntentOpaque:
		return DecideRefuse, fmt.Sprintf("the catalog cannot show the effect of %s: check the database, then pass --resume-done or --resume-rerun", verbOr(in.Image))
	case IntentOnline:
		return DecideCompare, "pt-online-schema-change was running it: the next run removes what the tool left, then compares the catalog with the image taken before it: as before it, it runs again; as it would leave it, the run carries on after it; otherwise it refuses"
	}
	return DecideRefuse, fmt.Sprintf("the history row names an unknown kind %q", in.Kind)
}
