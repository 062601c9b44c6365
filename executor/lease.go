package executor

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schemactl/schemactl/schema"
)

// DefaultLeaseTTL is how long a lease outlives its last renewal when
// Executor.LeaseTTL is zero: longer than any statement of ours should
// take, since a TOI DDL blocks every commit in the cluster, the renewals
// too, while it runs.
const DefaultLeaseTTL = 5 * time.Minute

// The lease is a row of the history table (id leaseID, direction
// leaseDirection), like the format marker, so that it replicates with the
// tables it guards and needs no table of its own. Its columns:
// checksum holds the holder's random token ("" when free), operator the
// holder (user@host pid N), started_at when it was taken, finished_at when
// it expires, statements_done how often it was written.
const (
	leaseID        = -1
	leaseDirection = "lease"
	leasePoll      = 200 * time.Millisecond
	leaseRetries   = 10
)

// LeaseError is returned when a lease held by another run outlives the
// lock timeout. Its Timeout method makes the executor report it as
// ErrLocked.
type LeaseError struct {
	Owner            string
	Since, ExpiresAt time.Time
	Now              time.Time
}

func (e *LeaseError) Error() string {
	return fmt.Sprintf("the migration lease is held by %s, taken %s ago (%s), expiring in %s: "+
		"if that run is gone (a stale lease), wait for it to expire or clear it (Executor.ForceUnlock)",
		e.Owner, e.Now.Sub(e.Since).Round(time.Second), e.Since.Format(time.RFC3339), e.ExpiresAt.Sub(e.Now).Round(time.Second))
}

// Timeout reports true: the lease could not be taken in time.
func (*LeaseError) Timeout() bool { return true }

func (e *Executor) leaseTTL() time.Duration {
	if e.LeaseTTL <= 0 {
		return DefaultLeaseTTL
	}
	return e.LeaseTTL
}

// lease is the migration lock on a cluster: a committed row, not a
// session's lock, which on Galera holds on one node only. A commit that
// races another node's for the row fails certification (deadlock, 1213)
// and is retried; it then sees the winner's token.
type lease struct {
	e     *Executor
	db    *sql.DB
	token string
	ttl   time.Duration

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// acquireLease takes the lease of conn's database, waiting at most the
// lock timeout, and renews it from another connection of the pool until
// Release, so that a long statement on conn does not let it expire.
func (e *Executor) acquireLease(ctx context.Context, conn *sql.Conn) (Lock, error) {
	if err := e.retryAborted(func() error { return e.ensureLeaseRow(ctx, conn) }); err != nil {
		return nil, err
	}
	l := &lease{e: e, db: e.DB, token: strings.ToLower(rand.Text()), ttl: e.leaseTTL()}
	owner := fmt.Sprintf("%s pid %d", operator(), os.Getpid())
	qi := e.Driver.QuoteIdent
	take := fmt.Sprintf("UPDATE %s SET %s = ?, %s = ?, %s = ?, %s = ?, %s = %s + 1 WHERE %s = ? AND %s = ? AND (%s = '' OR %s IS NULL OR %s < ?)",
		qi(e.historyTable()), qi("checksum"), qi("operator"), qi("started_at"), qi("finished_at"), qi("statements_done"), qi("statements_done"),
		qi("id"), qi("direction"), qi("checksum"), qi("finished_at"), qi("finished_at"))
	deadline := time.Now().Add(e.lockTimeout())
	for {
		now := time.Now().UTC()
		res, err := conn.ExecContext(ctx, take, l.token, owner, now.Format(timeLayout), now.Add(l.ttl).Format(timeLayout),
			leaseID, leaseDirection, now.Format(timeLayout))
		switch {
		case err == nil:
			if n, err := res.RowsAffected(); err != nil {
				return nil, fmt.Errorf("take the migration lease: %w", err)
			} else if n == 1 {
				l.start()
				return l, nil
			}
		case e.retryable(err):
			// Another node committed the row first: look again, at once
			// unless the wait is over.
			if time.Now().Before(deadline) {
				continue
			}
		default:
			return nil, fmt.Errorf("take the migration lease: %w", err)
		}
		if time.Now().After(deadline) {
			return nil, e.leaseHolder(ctx, conn)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(leasePoll):
		}
	}
}

func (e *Executor) retryable(err error) bool {
	s, ok := e.Driver.(StatementErrors)
	return ok && s.Retryable(err)
}

// leaseHolder reads who holds the lease, for the error of a wait that
// timed out.
func (e *Executor) leaseHolder(ctx context.Context, q querier) error {
	h, held, err := e.readLease(ctx, q)
	if err != nil {
		return err
	}
	if !held {
		return fmt.Errorf("%w: the migration lease was busy until the timeout", ErrLocked)
	}
	return &LeaseError{Owner: h.owner, Since: h.since, ExpiresAt: h.expires, Now: time.Now().UTC()}
}

type leaseState struct {
	token, owner   string
	since, expires time.Time
}

// readLease reads the lease row; held is false when it is free or expired.
func (e *Executor) readLease(ctx context.Context, q querier) (leaseState, bool, error) {
	qi := e.Driver.QuoteIdent
	var (
		s               leaseState
		since           string
		expires         sql.NullString
		token, operator string
	)
	err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT %s, %s, %s, %s FROM %s WHERE %s = ? AND %s = ?",
		qi("checksum"), qi("operator"), qi("started_at"), qi("finished_at"), qi(e.historyTable()), qi("id"), qi("direction")),
		leaseID, leaseDirection).Scan(&token, &operator, &since, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, false, nil
	case err != nil:
		return s, false, fmt.Errorf("read the migration lease: %w", err)
	}
	s.token, s.owner = token, operator
	s.since, _ = time.Parse(timeLayout, since)
	s.expires, _ = time.Parse(timeLayout, expires.String)
	if token == "" || !expires.Valid || s.expires.Before(time.Now().UTC()) {
		return s, false, nil
	}
	return s, true, nil
}

// ensureLeaseRow creates the history table (the layout of this build) and
// the free lease row when they are missing. It runs before any lock is
// held: two runs doing it at once both succeed, one of them finding the
// table or the row the other made.
func (e *Executor) ensureLeaseRow(ctx context.Context, conn *sql.Conn) error {
	ok, err := e.tableExists(ctx, conn, e.historyTable())
	if err != nil {
		return err
	}
	if !ok {
		if err := e.ownDDL(ctx, conn, &schema.AddTable{T: ownTable(e.historyTable(), historyLayout, TablesFormat)}); err != nil {
			if ok, _ := e.tableExists(ctx, conn, e.historyTable()); !ok {
				return err
			}
		}
	}
	qi := e.Driver.QuoteIdent
	count := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = ?", qi(e.historyTable()), qi("id"))
	var n int
	if err := conn.QueryRowContext(ctx, count, leaseID).Scan(&n); err != nil {
		return fmt.Errorf("read the migration lease: %w", err)
	}
	if n > 0 {
		return nil
	}
	_, err = conn.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s, %s, %s, %s, %s, %s, %s) VALUES (?, '', ?, '', '', 0, 0, '')",
		qi(e.historyTable()), qi("id"), qi("version"), qi("direction"), qi("checksum"), qi("started_at"), qi("statements_total"), qi("statements_done"), qi("operator")),
		leaseID, leaseDirection)
	if err != nil {
		// Another run inserted it first (a duplicate key, or a failed
		// certification on a cluster).
		if cerr := conn.QueryRowContext(ctx, count, leaseID).Scan(&n); cerr != nil || n == 0 {
			return fmt.Errorf("create the migration lease: %w", err)
		}
	}
	return nil
}

// touch extends the lease when this run still holds it; false when
// another run took it over or it was cleared. It commits on a connection
// of its own, so that it can be read cluster-wide and does not join the
// run's transaction.
func (l *lease) touch(ctx context.Context) (bool, error) {
	qi := l.e.Driver.QuoteIdent
	q := fmt.Sprintf("UPDATE %s SET %s = ?, %s = %s + 1 WHERE %s = ? AND %s = ? AND %s = ?",
		qi(l.e.historyTable()), qi("finished_at"), qi("statements_done"), qi("statements_done"), qi("id"), qi("direction"), qi("checksum"))
	var err error
	for range leaseRetries {
		var res sql.Result
		res, err = l.db.ExecContext(ctx, q, time.Now().UTC().Add(l.ttl).Format(timeLayout), leaseID, leaseDirection, l.token)
		if err == nil {
			n, err := res.RowsAffected()
			return n == 1, err
		}
		if !l.e.retryable(err) {
			break
		}
	}
	return false, fmt.Errorf("renew the migration lease: %w", err)
}

// start renews the lease every quarter of its TTL until Release.
func (l *lease) start() {
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(l.ttl / 4)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), l.ttl/4)
				ok, err := l.touch(ctx)
				cancel()
				if err == nil && !ok {
					return // lost: Verify says so at the next bookkeeping write
				}
			}
		}
	}()
}

// Verify checks and touches the lease: every bookkeeping write of the run
// is preceded by it, so a run whose lease was taken over stops.
func (l *lease) Verify(ctx context.Context) (bool, error) { return l.touch(ctx) }

// Renew extends the lease and fails when it was lost.
func (l *lease) Renew(ctx context.Context) error {
	ok, err := l.touch(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return lockLost("renew")
	}
	return nil
}

// Release stops the renewals and frees the row, if it is still ours.
func (l *lease) Release(ctx context.Context) error {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
	})
	qi := l.e.Driver.QuoteIdent
	q := fmt.Sprintf("UPDATE %s SET %s = '', %s = NULL, %s = %s + 1 WHERE %s = ? AND %s = ? AND %s = ?",
		qi(l.e.historyTable()), qi("checksum"), qi("finished_at"), qi("statements_done"), qi("statements_done"), qi("id"), qi("direction"), qi("checksum"))
	var err error
	for range leaseRetries {
		if _, err = l.db.ExecContext(ctx, q, leaseID, leaseDirection, l.token); err == nil || !l.e.retryable(err) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("release the migration lease: %w", err)
	}
	return nil
}

// LeaseHolder reports who holds the migration lease of a cluster
// database: Session is the lease's token, which ForceUnlock takes; User
// and Host the holder as it recorded itself, Since when it took the
// lease, Running its age. held is false when the lease is free or
// expired, or the database has none.
func (e *Executor) LeaseHolder(ctx context.Context) (h LockHolder, held bool, err error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return h, false, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if ok, err := e.tableExists(ctx, conn, e.historyTable()); err != nil || !ok {
		return h, false, err
	}
	s, held, err := e.readLease(ctx, conn)
	if err != nil || !held {
		return h, false, err
	}
	h.Session, h.Since = s.token, s.since
	who, _, _ := strings.Cut(s.owner, " ")
	h.User, h.Host, _ = strings.Cut(who, "@")
	h.Running = time.Since(s.since).Round(time.Second)
	h.Command = s.owner
	return h, true, nil
}

// ForceUnlock clears the lease held under token, as LeaseHolder named it:
// for a run whose process is gone (a stale lease) when its expiry is too
// far away. It refuses when the lease is free or held under another
// token, so that a confirmation given for one holder never removes
// another. The run it is taken from stops at its next bookkeeping write.
func (e *Executor) ForceUnlock(ctx context.Context, token string) error {
	qi := e.Driver.QuoteIdent
	res, err := e.DB.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = '', %s = NULL, %s = %s + 1 WHERE %s = ? AND %s = ? AND %s = ? AND %s <> ''",
		qi(e.historyTable()), qi("checksum"), qi("finished_at"), qi("statements_done"), qi("statements_done"), qi("id"), qi("direction"), qi("checksum"), qi("checksum")),
		leaseID, leaseDirection, token)
	if err != nil {
		return fmt.Errorf("force unlock: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("force unlock: %w", err)
	} else if n != 1 {
		return fmt.Errorf("force unlock: the migration lease is not held under %q (free, or taken by another run since)", token)
	}
	return nil
}
