package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/schemactl/schemactl/engine"
	"github.com/schemactl/schemactl/executor"
	"github.com/spf13/cobra"
)

// stopper turns SIGINT and SIGTERM into a stop in two steps for a command
// that runs migrations: the first stops the run after its running
// statement, which is recorded; the second, or the grace period running
// out, cancels the context, which stops the statement itself (on
// MySQL/MariaDB with KILL QUERY from another connection, so that the
// outcome is still recorded). CI runners send SIGKILL about 10 s after
// SIGINT: the default grace leaves time to stop and record before it. Any
// other command is cancelled by the first signal, as before.
type stopper struct {
	cancel    context.CancelCauseFunc
	interrupt chan struct{}
	stderr    io.Writer

	mu       sync.Mutex
	graceful bool          // a run that stops between statements is under way
	grace    time.Duration // after the first signal, until the statement is stopped
	signals  int
}

// defaultGrace is --stop-grace's default.
const defaultGrace = 5 * time.Second

type stopperKey struct{}

// watchSignals returns a context cancelled as stopper says, and the
// function that stops watching.
func watchSignals(parent context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	s := &stopper{cancel: cancel, interrupt: make(chan struct{}), stderr: stderr}
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				s.signal(sig)
			case <-done:
				return
			}
		}
	}()
	return context.WithValue(ctx, stopperKey{}, s), func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

func (s *stopper) signal(sig os.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signals++
	if s.signals == 1 && s.graceful {
		fmt.Fprintf(s.stderr, "%s: stopping after the running statement; it is stopped in %s, or at once if the signal comes again\n", sig, s.grace)
		close(s.interrupt)
		time.AfterFunc(s.grace, func() { s.cancel(fmt.Errorf("%s, and the statement still ran %s later", sig, s.grace)) })
		return
	}
	if s.graceful {
		fmt.Fprintf(s.stderr, "%s: stopping the running statement\n", sig)
	}
	s.cancel(fmt.Errorf("%s received", sig))
}

// runControl is what apply and downgrade pass the engine: the interrupt
// of ctx's stopper, which from now on stops between statements, and the
// resolution of a statement in doubt the flags give.
func runControl(ctx context.Context, done, rerun bool, grace time.Duration) (engine.Control, error) {
	var c engine.Control
	switch {
	case grace <= 0:
		return c, errors.New("--stop-grace must be positive")
	case done && rerun:
		return c, errors.New("--resume-done and --resume-rerun contradict each other: give one")
	case done:
		c.Resolve = executor.ResumeDone
	case rerun:
		c.Resolve = executor.ResumeRerun
	}
	if s, ok := ctx.Value(stopperKey{}).(*stopper); ok {
		s.mu.Lock()
		s.graceful, s.grace = true, grace
		s.mu.Unlock()
		c.Interrupt = s.interrupt
	}
	return c, nil
}

// resumeFlags registers --resume-done, --resume-rerun and --stop-grace.
func resumeFlags(cmd *cobra.Command, done, rerun *bool, grace *time.Duration) {
	cmd.Flags().DurationVar(grace, "stop-grace", defaultGrace, "after Ctrl-C or SIGTERM, how long the running statement may run before it is stopped")
	cmd.Flags().BoolVar(done, "resume-done", false, "a statement an earlier run left in doubt took effect: record it as done and carry on after it")
	cmd.Flags().BoolVar(rerun, "resume-rerun", false, "a statement an earlier run left in doubt did not take effect: run it")
}
