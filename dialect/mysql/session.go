package mysql

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// Session returns the connection id of conn's session: what
// information_schema.PROCESSLIST lists, IS_USED_LOCK returns and KILL
// takes. Ids are unique on one server while it runs; a restart reuses them.
func (*Dialect) Session(ctx context.Context, conn *sql.Conn) (string, error) {
	var id uint64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return "", fmt.Errorf("read connection id: %w", err)
	}
	return strconv.FormatUint(id, 10), nil
}

// LockHolder describes the holder of a migration lock; the executor
// declares the identical type (executor.LockHolder).
type LockHolder = struct {
	Session    string
	User, Host string
	Since      time.Time
	Command    string
	Running    time.Duration
	Statement  string
}

// LockHolder reports the session holding the migration lock of conn's
// database, with its row of the process list: who, from where, what it
// runs and for how long. GET_LOCK does not record when it was taken, so
// Since stays zero. A holder missing from the process list (a user who
// may only see their own sessions) is reported by its id alone.
func (*Dialect) LockHolder(ctx context.Context, conn *sql.Conn) (LockHolder, bool, error) {
	var h LockHolder
	name, err := currentLockName(ctx, conn)
	if err != nil {
		return h, false, err
	}
	var id sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", name).Scan(&id); err != nil {
		return h, false, fmt.Errorf("look up lock %q: %w", name, err)
	}
	if !id.Valid {
		return h, false, nil
	}
	h.Session = strconv.FormatInt(id.Int64, 10)
	var (
		user, host, command, info sql.NullString
		secs                      sql.NullInt64
	)
	err = conn.QueryRowContext(ctx, "SELECT USER, HOST, COMMAND, TIME, INFO FROM information_schema.PROCESSLIST WHERE ID = ?", id.Int64).
		Scan(&user, &host, &command, &secs, &info)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return h, true, fmt.Errorf("read the process list for session %s: %w", h.Session, err)
	default:
		h.User, h.Host, h.Command, h.Statement = user.String, host.String, command.String, info.String
		h.Running = time.Duration(secs.Int64) * time.Second
	}
	return h, true, nil
}

// ForceUnlock frees the migration lock from session by ending that session
// (KILL CONNECTION): a session lock cannot be released by anyone else. The
// session's open transaction rolls back and its running statement stops as
// the server stops it (an ALTER TABLE copying rows stops at its next
// check; a non-transactional one keeps what it did). It refuses when the
// lock is free or held by another session, so that a confirmation given
// for one holder never ends another, and when session is conn's own.
func (d *Dialect) ForceUnlock(ctx context.Context, conn *sql.Conn, session string) error {
	id, err := strconv.ParseInt(session, 10, 64)
	if err != nil {
		return fmt.Errorf("force unlock: session %q is not a connection id", session)
	}
	h, held, err := d.LockHolder(ctx, conn)
	switch {
	case err != nil:
		return fmt.Errorf("force unlock: %w", err)
	case !held:
		return fmt.Errorf("force unlock: the migration lock is free; session %s does not hold it", session)
	case h.Session != session:
		return fmt.Errorf("force unlock: the migration lock is held by session %s now, not %s", h.Session, session)
	}
	own, err := d.Session(ctx, conn)
	if err != nil {
		return fmt.Errorf("force unlock: %w", err)
	}
	if own == session {
		return errors.New("force unlock: this session holds the lock; release it instead")
	}
	if _, err := conn.ExecContext(ctx, "KILL CONNECTION "+strconv.FormatInt(id, 10)); err != nil {
		return fmt.Errorf("force unlock: end session %s: %w", session, err)
	}
	return nil
}

// sessionGone reports whether err says that the connection's session is
// over: the driver found the connection closed, or the server said it
// killed the session or is shutting down.
func sessionGone(err error) bool {
	if errors.Is(err, sqldriver.ErrBadConn) || errors.Is(err, driver.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var me *driver.MySQLError
	// 1053 ER_SERVER_SHUTDOWN, 1927 ER_CONNECTION_KILLED (MariaDB),
	// 4031 ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8).
	return errors.As(err, &me) && (me.Number == 1053 || me.Number == 1927 || me.Number == 4031)
}
