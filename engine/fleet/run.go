package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/internal/dburl"
)

// Policy is what a failed target does to the targets not started yet.
type Policy int

const (
	// Stop starts no more targets after a failure; those running finish.
	Stop Policy = iota
	// Continue runs every target whatever the others did.
	Continue
)

// ParsePolicy reads "stop" or "continue".
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "stop":
		return Stop, nil
	case "continue":
		return Continue, nil
	}
	return Stop, fmt.Errorf("on-failure %q: want stop or continue", s)
}

// Options steer a run over a fleet.
type Options struct {
	// Concurrency is how many targets run at once; below 1 is 1.
	Concurrency int
	// Canary is how many targets, the first ones, run before the others:
	// the others start only when every canary succeeded.
	Canary int
	// OnFailure is what a failure does to the targets not started yet.
	OnFailure Policy
	// Interrupt, once closed, starts no more targets; the running ones
	// get it too (engine.Control.Interrupt) and stop as one target does.
	Interrupt <-chan struct{}
	// Done hears of each target as it ends (or is skipped), one call at a
	// time, in the order they end.
	Done func(Result)
}

// Outcome is how a target ended.
type Outcome string

const (
	OK      Outcome = "ok"
	Failed  Outcome = "failed"
	Skipped Outcome = "skipped" // not started: the policy, the canary or an interrupt
)

// Result is one target's part of a run.
type Result struct {
	Index  int    // in the list of targets
	Target string // its URL, the password hidden
	// From and To are the versions before and after ("" = base); for
	// Status, the version the database is at and the directory's head.
	From, To string
	Duration time.Duration
	Outcome  Outcome
	// Err is why it failed, or why it was skipped.
	Err error
	// Plan is the target's plan (Plan only), nil when it has none.
	Plan *engine.Plan
}

// ErrSkipped is the error of a target that was not started.
var ErrSkipped = errors.New("not started")

// work is the job of target i: what it reports and its error.
type work func(ctx context.Context, i int, e *engine.Engine) (from, to string, err error)

// run runs w on each target as opts say, and returns a result for every
// target, in the targets' order.
func run(ctx context.Context, targets []engine.Target, opts Options, w work) []Result {
	res := make([]Result, len(targets))
	n := opts.Concurrency
	if n < 1 {
		n = 1
	}
	canary := min(max(opts.Canary, 0), len(targets))
	var (
		mu     sync.Mutex
		failed int
		why    error
	)
	report := func(r Result) {
		mu.Lock()
		defer mu.Unlock()
		res[r.Index] = r
		if r.Outcome == Failed {
			failed++
		}
		if opts.Done != nil {
			opts.Done(r)
		}
	}
	// stopped says why no more targets may start, or nil.
	stopped := func() error {
		select {
		case <-opts.Interrupt:
			return fmt.Errorf("%w: interrupted", ErrSkipped)
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", ErrSkipped, context.Cause(ctx))
		default:
		}
		mu.Lock()
		defer mu.Unlock()
		if why != nil {
			return why
		}
		if failed > 0 && opts.OnFailure == Stop {
			return fmt.Errorf("%w: --on-failure stop after a failure", ErrSkipped)
		}
		return nil
	}
	batch := func(from, to int) {
		sem := make(chan struct{}, n)
		var wg sync.WaitGroup
		for i := from; i < to; i++ {
			sem <- struct{}{}
			if err := stopped(); err != nil {
				<-sem
				report(Result{Index: i, Target: dburl.Redact(targets[i].URL), Outcome: Skipped, Err: err})
				continue
			}
			wg.Add(1)
			go func(i int) {
				defer func() { <-sem; wg.Done() }()
				report(one(ctx, i, targets[i], opts.Interrupt, w))
			}(i)
		}
		wg.Wait()
	}
	batch(0, canary)
	if canary > 0 && failed > 0 {
		why = fmt.Errorf("%w: a canary failed", ErrSkipped)
	}
	batch(canary, len(targets))
	return res
}

// one runs w on one target with its own Engine.
func one(ctx context.Context, i int, t engine.Target, interrupt <-chan struct{}, w work) Result {
	r := Result{Index: i, Target: dburl.Redact(t.URL)}
	start := time.Now()
	e, err := engine.Open(ctx, t)
	if err == nil {
		r.From, r.To, err = w(ctx, i, e)
		if where := e.Where(); where != "" {
			r.Target = where
		}
		if cerr := e.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	r.Duration = time.Since(start)
	r.Outcome, r.Err = OK, err
	if err != nil {
		r.Outcome = Failed
	}
	return r
}

// Apply runs engine.Engine.Apply on every target with opts. Each target
// gets opts' Interrupt; Observer and Note, shared by all, must be safe
// for concurrent use (or nil).
func Apply(ctx context.Context, targets []engine.Target, opts Options, apply engine.ApplyOptions) []Result {
	apply.Interrupt = opts.Interrupt
	return run(ctx, targets, opts, func(ctx context.Context, _ int, e *engine.Engine) (string, string, error) {
		res, err := e.Apply(ctx, apply)
		if res == nil {
			return "", "", err
		}
		return res.From, res.To, err
	})
}

// Status reads each target's version: From is where it is, To the
// directory's head. A target behind the head is OK (Behind says so); one at
// a version the directory lacks fails. It reads the version only: drift and
// failed runs are single-target status's business.
func Status(ctx context.Context, targets []engine.Target, opts Options) []Result {
	return run(ctx, targets, opts, func(ctx context.Context, _ int, e *engine.Engine) (string, string, error) {
		ms, err := e.Migrations()
		if err != nil {
			return "", "", err
		}
		head := ""
		if len(ms) > 0 {
			head = ms[len(ms)-1].Version
		}
		cur, err := e.Current(ctx)
		if err != nil {
			return "", head, err
		}
		if cur == "" {
			return cur, head, nil
		}
		for _, m := range ms {
			if m.Version == cur {
				return cur, head, nil
			}
		}
		return cur, head, fmt.Errorf("at version %s, which %s lacks", cur, e.DirPath())
	})
}

// Behind reports whether a Status result is short of the head.
func (r Result) Behind() bool { return r.Outcome == OK && r.From != r.To }

// Reached reports whether every target succeeded.
func Reached(rs []Result) bool {
	for _, r := range rs {
		if r.Outcome != OK {
			return false
		}
	}
	return true
}
