package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// A client that dies while the server runs its statement (SIGKILL, OOM, a
// CI timeout) does not stop the statement: the server finishes it, and the
// history row still says it had not run. The row therefore records, in the
// same write as "statement k ran", what is known of statement k+1 before
// it starts (an Intent), and a later run, holding the lock (so the dead
// run's session and its statement are over), decides from it whether
// statement k+1 took effect. It never guesses: what it cannot tell, it
// refuses, naming the way out (ResumeDone, ResumeRerun).

// IntentKind is how a resumed run can tell whether a statement took effect.
type IntentKind string

const (
	// IntentTx: the statement runs in one transaction with the write that
	// records it, so the row says Done only if the statement committed.
	IntentTx IntentKind = "tx"
	// IntentRerun: the statement only reads or sets session state, which
	// a new session lacks: running it again is what resuming needs.
	IntentRerun IntentKind = "rerun"
	// IntentImage: a DDL statement; Image is the pre-image of the objects
	// it changes (PreImager), compared with the catalog on resume.
	IntentImage IntentKind = "image"
	// IntentOpaque: a statement whose effect the catalog cannot show
	// (TRUNCATE, OPTIMIZE, GRANT, CALL, DML on a non-transactional
	// table); Image is its verb.
	IntentOpaque IntentKind = "opaque"
)

// Intent is what a run recorded about statement Statement (1-based) before
// it started it.
type Intent struct {
	Statement int
	Kind      IntentKind
	Image     string
}

// Resolution tells a run what to do with a statement in doubt that it
// cannot decide itself: the operator's word, after checking the database.
type Resolution string

const (
	// ResolveAuto decides from the catalog, and refuses when it cannot.
	ResolveAuto Resolution = ""
	// ResumeDone: the statement in doubt took effect; carry on after it.
	ResumeDone Resolution = "done"
	// ResumeRerun: the statement in doubt did not take effect; run it.
	ResumeRerun Resolution = "rerun"
)

// ErrInDoubt is wrapped by every *DoubtError.
var ErrInDoubt = errors.New("a statement is in doubt")

// DoubtError refuses to resume a migration whose statement Index was
// running when an earlier run died, when the catalog does not tell whether
// it took effect.
type DoubtError struct {
	File      string
	Direction Direction
	Index     int // 1-based
	Total     int
	Stmt      Statement
	Why       string
}

func (e *DoubtError) Error() string {
	cmd := "apply"
	if e.Direction == Down {
		cmd = "downgrade"
	}
	return fmt.Sprintf("%s: statement %d of %d was running when an earlier run stopped, and whether it took effect is not known: %s\n\t%s\n"+
		"Check the database; then run the same `schemactl %s` again with --resume-done if it took effect, or with --resume-rerun if it did not",
		e.File, e.Index, e.Total, e.Why, strings.ReplaceAll(e.Stmt.SQL, "\n", "\n\t"), cmd)
}

// Is makes errors.Is(err, ErrInDoubt) true.
func (e *DoubtError) Is(target error) bool { return target == ErrInDoubt }

// classify asks the driver what stmt does; a driver without a Classifier
// knows nothing, which makes every statement opaque.
func (r *runner) classify(ctx context.Context, stmt string) (sqltext.Class, error) {
	c, ok := r.e.Driver.(Classifier)
	if !ok {
		return sqltext.Class{}, nil
	}
	cl, err := c.Classify(ctx, r.conn, stmt)
	if err != nil {
		return cl, fmt.Errorf("classify statement: %w", err)
	}
	return cl, nil
}

// intent reads what is known of statement i (0-based) of m before it runs;
// the zero Intent past the last statement.
func (r *runner) intent(ctx context.Context, m *Migration, i int) (Intent, error) {
	stmts := m.Statements(r.dir)
	if i >= len(stmts) {
		return Intent{}, nil
	}
	in := Intent{Statement: i + 1}
	if on, err := r.onlineAlter(ctx, m, i); err == nil && on {
		img, err := r.e.Online.OnlineImage(ctx, r.conn, stmts[i].SQL)
		if err != nil {
			in.Kind, in.Image = IntentOpaque, fmt.Sprintf("an online ALTER TABLE whose tables' pre-image could not be read (%v)", err)
			return in, nil
		}
		in.Kind, in.Image = IntentOnline, img
		return in, nil
	}
	cl, err := r.classify(ctx, stmts[i].SQL)
	if err != nil {
		// Not knowing makes it opaque: refused if it is ever in doubt,
		// which is safe, rather than a run that cannot start.
		in.Kind, in.Image = IntentOpaque, fmt.Sprintf("a statement that could not be classified (%v)", err)
		return in, nil
	}
	p, canImage := r.e.Driver.(PreImager)
	switch {
	case cl.Transactional:
		in.Kind = IntentTx
	case cl.Kind == sqltext.Session || cl.Kind == sqltext.Read:
		in.Kind = IntentRerun
	case cl.Kind == sqltext.DDL && len(cl.Objects) > 0 && canImage:
		img, err := p.PreImage(ctx, r.conn, cl.Objects)
		if err != nil {
			in.Kind, in.Image = IntentOpaque, fmt.Sprintf("%s, whose objects' pre-image could not be read (%v)", cl.Verb, err)
			return in, nil
		}
		in.Kind, in.Image = IntentImage, img
	default:
		in.Kind, in.Image = IntentOpaque, cl.Verb
	}
	return in, nil
}

// doubtInFile finds statement k, the one last left in doubt, in m as the
// directory has it now, and refuses when it is gone or changed — unless
// the operator resolves it, or it is known not to have taken effect (it
// ran in one transaction with its record, or only set session state):
// then a fixed statement runs as one fixed after a failure does. Dry runs
// and resumes decide the same way.
func doubtInFile(m *Migration, dir Direction, last *Record, resolve Resolution) (int, error) {
	k := last.Done + 1
	stmts := m.Statements(dir)
	if k > len(stmts) {
		return 0, &HistoryChangedError{File: m.File, Index: k, InDoubt: true}
	}
	changed := k > len(last.planned) || stmtHash(stmts[k-1].SQL) != last.planned[k-1]
	notRun := last.Next.Statement == k && (last.Next.Kind == IntentTx || last.Next.Kind == IntentRerun)
	if changed && resolve == ResolveAuto && !notRun {
		return 0, &HistoryChangedError{File: m.File, Index: k, InDoubt: true}
	}
	return k, nil
}

// resolveDoubt decides, under the lock, where a run resumes m when the
// last run left statement last.Done+1 in doubt: at it (it did not take
// effect) or after it (it did). It returns the number of statements that
// stay applied.
func (r *runner) resolveDoubt(ctx context.Context, m *Migration, last *Record, resolve Resolution) (int, error) {
	k, err := doubtInFile(m, r.dir, last, resolve)
	if err != nil {
		return 0, err
	}
	stmts := m.Statements(r.dir)
	st := stmts[k-1]
	refuse := func(why string) error {
		return &DoubtError{File: m.File, Direction: r.dir, Index: k, Total: len(stmts), Stmt: st, Why: why}
	}
	decided := func(done bool, why string) (int, error) {
		r.e.emit(&DoubtResolved{Migration: m, Direction: r.dir, Index: k, Total: len(stmts), TookEffect: done, Why: why})
		if done {
			return k, nil
		}
		return last.Done, nil
	}
	switch resolve {
	case ResumeDone:
		return decided(true, "--resume-done says so")
	case ResumeRerun:
		return decided(false, "--resume-rerun says so")
	}
	in := last.Next
	if in.Statement != k {
		return 0, refuse("the history row does not say what it was (written by an older schemactl)")
	}
	switch in.Kind {
	case IntentTx:
		return decided(false, "it ran in one transaction with its record, which did not commit")
	case IntentRerun:
		return decided(false, "it only sets session state, which this new session lacks")
	case IntentImage:
		return r.compareImage(ctx, st.SQL, in.Image, decided, refuse)
	case IntentOnline:
		return r.resolveOnline(ctx, m, st, in.Image, decided, refuse)
	case IntentOpaque:
		return 0, refuse(fmt.Sprintf("the catalog cannot show the effect of %s", verbOr(in.Image)))
	}
	return 0, refuse(fmt.Sprintf("the history row names an unknown kind %q", in.Kind))
}

// compareImage decides a DDL statement in doubt from the catalog: as the
// pre-image says, it did not run; as running it on the pre-image gives, it
// did; anything else is refused.
func (r *runner) compareImage(ctx context.Context, stmt, pre string,
	decided func(bool, string) (int, error), refuse func(string) error) (int, error) {
	p, ok := r.e.Driver.(PreImager)
	if !ok {
		return 0, refuse("this driver cannot read the catalog's pre-image")
	}
	cl, err := r.classify(ctx, stmt)
	if err != nil {
		return 0, err
	}
	now, err := p.PreImage(ctx, r.conn, cl.Objects)
	if err != nil {
		return 0, fmt.Errorf("read the catalog of a statement in doubt: %w", err)
	}
	pi, ok := r.e.Driver.(PostImager)
	if !ok {
		return 0, refuse("this driver cannot tell what it would have made of the objects it changes")
	}
	post, ok, err := pi.PostImage(ctx, r.conn, cl.Objects, pre, stmt)
	switch {
	case err != nil:
		return 0, fmt.Errorf("compute the effect of a statement in doubt: %w", err)
	case !ok:
		return 0, refuse("what it would have made of the objects it changes cannot be computed")
	case post == pre:
		// It moves data, or changes what SHOW CREATE does not show
		// (EXCHANGE PARTITION, a swap by RENAME): the catalog looks the
		// same whether it ran or not.
		return 0, refuse("the catalog looks the same whether it ran or not, so it cannot tell")
	case now == pre:
		return decided(false, "the objects it changes are as they were before it")
	case post == now:
		return decided(true, "the catalog shows exactly its effect")
	}
	return 0, refuse("the objects it changes are neither as they were before it nor as it would have left them:\n\tbefore:   " +
		strings.ReplaceAll(pre, "\n", "\n\t          ") + "\n\tnow:      " + strings.ReplaceAll(now, "\n", "\n\t          ") +
		"\n\texpected: " + strings.ReplaceAll(post, "\n", "\n\t          "))
}

func verbOr(verb string) string {
	if verb == "" {
		return "a statement it does not recognise"
	}
	return verb
}

// replaySession runs again, in this run's new session, the statements
// before resume that set session state (SET, USE), so that statement
// resume runs as it would have in the dead run's session. Other session
// state (a temporary table and its rows) cannot be rebuilt: refused.
func (r *runner) replaySession(ctx context.Context, m *Migration, resume int) error {
	stmts := m.Statements(r.dir)
	for i := 0; i < resume; i++ {
		cl, err := r.classify(ctx, stmts[i].SQL)
		if err != nil {
			return err
		}
		if cl.Kind != sqltext.Session {
			continue
		}
		if cl.Verb != "SET" && cl.Verb != "USE" {
			return fmt.Errorf("%s: cannot resume at statement %d: statement %d (%s) made session state that a new session lacks; repair the database by hand and stamp",
				m.File, resume+1, i+1, cl.Verb)
		}
		if _, err := r.conn.ExecContext(ctx, stmts[i].SQL); err != nil {
			return fmt.Errorf("%s: replay statement %d before resuming: %w", m.File, i+1, err)
		}
	}
	return nil
}
