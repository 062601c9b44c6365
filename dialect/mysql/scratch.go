package mysql

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// DefaultDevURL is the scratch database to replay migrations in when none
// is given: MySQL has none that needs no server.
func (*Dialect) DefaultDevURL() string { return "" }

// ScratchPrefixParam is the dev URL parameter that sets the name prefix of
// throwaway databases (mysql://u@h:3306/?scratch_prefix=ci_), for servers
// that grant CREATE only on a name pattern. Scratch strips it: the driver
// would send it to the server as a session variable.
const ScratchPrefixParam = "scratch_prefix"

// DefaultScratchPrefix starts the name of a throwaway database when the
// dev URL sets no prefix.
const DefaultScratchPrefix = "schemactl_dev_"

// maxName is the longest database name the server takes.
const maxName = 64

// Scratch prepares the dev database rawURL names and returns its URL (the
// driver's, without scratch_prefix) and what undoes it, which must run
// once the caller has closed its connections to it:
//
//   - mysql://u@h/ (no database): a throwaway database named
//     schemactl_dev_<random> (or scratch_prefix<random>), dropped after;
//   - mysql://u@h/name, name missing: name is created, and dropped after;
//   - mysql://u@h/name, name exists: it must hold nothing (no table, view,
//     routine, trigger or event) and is never dropped; what the replay
//     creates there is dropped after, leaving it empty again. A database
//     that holds something, such as a production URL pasted here, is
//     refused and left as it is.
//
// A named database is held under a server lock named after it while in
// use, so that two runs that share one dev database fail clearly instead
// of replaying into each other.
func (*Dialect) Scratch(ctx context.Context, rawURL string) (string, func(context.Context) error, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	prefix, hasPrefix := q.Get(ScratchPrefixParam), q.Has(ScratchPrefixParam)
	if hasPrefix {
		q.Del(ScratchPrefixParam)
		u.RawQuery = q.Encode()
	}
	name := strings.Trim(u.Path, "/")
	server := *u
	server.Path, server.RawPath = "/", ""
	if name != "" {
		if hasPrefix {
			return "", nil, fmt.Errorf("?%s= names throwaway databases, which a URL without a database name gets (mysql://user@host:3306/?%[1]s=%s); this one names the database %s", ScratchPrefixParam, prefix, name)
		}
		release, err := borrow(ctx, server.String(), name)
		if err != nil {
			return "", nil, err
		}
		return u.String(), release, nil
	}
	if !hasPrefix {
		prefix = DefaultScratchPrefix
	}
	name, drop, err := throwaway(ctx, server.String(), prefix)
	if err != nil {
		return "", nil, err
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), drop, nil
}

// throwaway creates a database named prefix<random> on the server and
// returns its name and how to drop it.
func throwaway(ctx context.Context, serverURL, prefix string) (string, func(context.Context) error, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	suffix := hex.EncodeToString(b[:])
	if prefix == "" || len(prefix)+len(suffix) > maxName {
		return "", nil, fmt.Errorf("?%s=%q: the prefix of a throwaway database name takes 1 to %d characters", ScratchPrefixParam, prefix, maxName-len(suffix))
	}
	name := prefix + suffix
	db, _, err := Open(ctx, serverURL)
	if err != nil {
		return "", nil, err
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create the throwaway database %s: %w (a user that may create databases only under a name pattern sets the prefix: mysql://user@host:3306/?%s=PREFIX)", name, err, ScratchPrefixParam)
	}
	drop := func(ctx context.Context) error {
		defer db.Close()
		if _, err := db.ExecContext(ctx, "DROP DATABASE "+quoteIdent(name)); err != nil {
			return fmt.Errorf("drop the throwaway database %s: %w", name, err)
		}
		return nil
	}
	return name, drop, nil
}

// borrow takes the dev database name for this run: it locks the name,
// then creates the database or checks that it is empty. The release it
// returns drops a database it created, else empties the database again,
// and unlocks.
func borrow(ctx context.Context, serverURL, name string) (release func(context.Context) error, err error) {
	db, _, err := Open(ctx, serverURL)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	// The lock is released in so many words: the server ends a closed
	// session, and frees its locks, only after the client has gone on,
	// maybe to the next run that asks for the lock.
	done := func() error {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "DO RELEASE_LOCK(?)", devLockName(name))
		return errors.Join(err, conn.Close(), db.Close())
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, done())
		}
	}()
	if err := lockDev(ctx, conn, name); err != nil {
		return nil, err
	}
	var exists int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&exists); err != nil {
		return nil, fmt.Errorf("look for the database %s: %w", name, err)
	}
	if exists == 0 {
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)); err != nil {
			return nil, fmt.Errorf("create the dev database %s: %w", name, err)
		}
		return func(ctx context.Context) error {
			_, err := conn.ExecContext(ctx, "DROP DATABASE "+quoteIdent(name))
			if err != nil {
				err = fmt.Errorf("drop the dev database %s, which this run created: %w", name, err)
			}
			return errors.Join(err, done())
		}, nil
	}
	held, err := contents(ctx, conn, name)
	if err != nil {
		return nil, err
	}
	if len(held) > 0 {
		return nil, fmt.Errorf("refusing the dev database %s: it holds %s. The migrations are replayed into the dev database, so it must be empty or not exist (it is then created and dropped); is this the URL of a real database? Name an empty database, or none (mysql://user@host:3306/) for a throwaway one", name, listObjects(held, 5))
	}
	return func(ctx context.Context) error {
		return errors.Join(emptyDev(ctx, conn, name), done())
	}, nil
}

// lockDev takes the server lock of the dev database name on conn's
// session, without waiting: another run holding it is replaying into the
// same database.
func lockDev(ctx context.Context, conn *sql.Conn, name string) error {
	lock := devLockName(name)
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", lock).Scan(&got); err != nil {
		return fmt.Errorf("lock the dev database %s: %w", name, err)
	}
	if got.Valid && got.Int64 == 1 {
		return nil
	}
	var holder sql.NullInt64
	_ = conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", lock).Scan(&holder)
	by := "another session"
	if holder.Valid {
		by = fmt.Sprintf("server connection %d", holder.Int64)
	}
	return fmt.Errorf("the dev database %s is in use: %s holds the lock %q (another schemactl replaying into it, such as a concurrent CI job). Give each job its own dev database, or a URL without a database name (mysql://user@host:3306/) for a throwaway one", name, by, lock)
}

// devLockName is the GET_LOCK name of the dev database name; the server
// takes names of at most 64 characters.
func devLockName(name string) string {
	lock := "schemactl_dev:" + name
	if len(lock) <= maxName {
		return lock
	}
	sum := sha256.Sum256([]byte(name))
	return "schemactl_dev:" + hex.EncodeToString(sum[:])[:maxName-len("schemactl_dev:")]
}

// devObject is something a database holds.
type devObject struct{ kind, name string }

func (o devObject) String() string { return o.kind + " " + o.name }

// contents lists what the database name holds, in the order emptyDev drops
// it: views, events, routines, then tables (their triggers go with them)
// and sequences.
func contents(ctx context.Context, conn *sql.Conn, name string) ([]devObject, error) {
	rows, err := conn.QueryContext(ctx, `
SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END,
	TABLE_NAME, CASE TABLE_TYPE WHEN 'VIEW' THEN 0 ELSE 3 END
FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?
UNION ALL SELECT 'event', EVENT_NAME, 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?
UNION ALL SELECT LOWER(ROUTINE_TYPE), ROUTINE_NAME, 2 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
UNION ALL SELECT 'trigger', TRIGGER_NAME, 4 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
ORDER BY 3, 2`, name, name, name, name)
	if err != nil {
		return nil, fmt.Errorf("list what the database %s holds: %w", name, err)
	}
	defer rows.Close()
	var objs []devObject
	for rows.Next() {
		var o devObject
		var order int
		if err := rows.Scan(&o.kind, &o.name, &order); err != nil {
			return nil, fmt.Errorf("list what the database %s holds: %w", name, err)
		}
		objs = append(objs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list what the database %s holds: %w", name, err)
	}
	return objs, nil
}

// emptyDev drops everything the database name holds, leaving the database
// itself, and says exactly what is left when it cannot. Foreign keys are
// not checked meanwhile, so tables that reference each other drop in any
// order; views go first, as they may read tables and functions.
func emptyDev(ctx context.Context, conn *sql.Conn, name string) error {
	objs, err := contents(ctx, conn, name)
	if err != nil {
		return fmt.Errorf("empty the dev database %s: %w", name, err)
	}
	if len(objs) == 0 {
		return nil
	}
	var errs []error
	if _, err := conn.ExecContext(ctx, "SET SESSION FOREIGN_KEY_CHECKS = 0"); err != nil {
		errs = append(errs, err)
	}
	for _, o := range objs {
		var stmt string
		switch o.kind {
		case "view", "event", "function", "procedure", "sequence", "table":
			stmt = "DROP " + strings.ToUpper(o.kind) + " IF EXISTS " + quoteIdent(name) + "." + quoteIdent(o.name)
		default:
			continue // triggers go with their tables
		}
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			errs = append(errs, fmt.Errorf("drop %s: %w", o, err))
		}
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION FOREIGN_KEY_CHECKS = 1"); err != nil {
		errs = append(errs, err)
	}
	left, err := contents(ctx, conn, name)
	switch {
	case err != nil:
		errs = append(errs, err)
	case len(left) > 0:
		return errors.Join(append([]error{fmt.Errorf("the dev database %s is not empty after use: %s left; drop them before the next run, which refuses a database that is not empty", name, listObjects(left, len(left)))}, errs...)...)
	default:
		return nil
	}
	return fmt.Errorf("empty the dev database %s: %w", name, errors.Join(errs...))
}

// listObjects names objs, at most max of them.
func listObjects(objs []devObject, max int) string {
	var b strings.Builder
	for i, o := range objs {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(objs)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(o.String())
	}
	return b.String()
}
