package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	driver "github.com/go-sql-driver/mysql"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// PostImage computes what PreImage would read after stmt ran on objects
// whose state pre describes: it re-creates the tables of pre in a
// throwaway database of the same character set on this server, runs stmt
// there on conn (so with the migration's sql_mode), reads their image and
// names them as in the original database. ok is false when that cannot
// tell: an object other than a table or index, one named with its
// database, or a statement that fails on the copy (it needs rows, or
// another table). The connection's current database and foreign key
// checks are put back.
func (d *Dialect) PostImage(ctx context.Context, conn *sql.Conn, objs []sqltext.Object, pre, stmt string) (post string, ok bool, err error) {
	texts := map[string]string{} // "kind `db`.`name`" → SHOW CREATE text
	for _, line := range strings.Split(pre, "\n") {
		head, text, found := strings.Cut(line, ": ")
		if !found {
			return "", false, nil
		}
		texts[head] = strings.NewReplacer(`\n`, "\n", `\\`, `\`).Replace(text)
	}
	var orig sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&orig); err != nil {
		return "", false, fmt.Errorf("read current database: %w", err)
	}
	if !orig.Valid {
		return "", false, errors.New("no current database")
	}
	var creates []string
	seen := map[string]bool{}
	for _, o := range objs {
		if o.Schema != "" || o.Kind != "table" && o.Kind != "index" {
			return "", false, nil
		}
		text, found := texts[fmt.Sprintf("%s %s.%s", o.Kind, quoteIdent(orig.String), quoteIdent(o.Name))]
		if !found {
			return "", false, nil
		}
		table := o.Name
		if o.Kind == "index" {
			table = o.Table
		}
		if text == "absent" || seen[strings.ToLower(table)] {
			continue
		}
		seen[strings.ToLower(table)] = true
		if !strings.HasPrefix(text, "CREATE TABLE ") {
			return "", false, nil // a view
		}
		creates = append(creates, text)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", false, err
	}
	scratch := "schemactl_doubt_" + hex.EncodeToString(b[:])
	var cs, coll string
	if err := conn.QueryRowContext(ctx, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", orig.String).Scan(&cs, &coll); err != nil {
		return "", false, fmt.Errorf("read the character set of %s: %w", orig.String, err)
	}
	var fkc int
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.foreign_key_checks").Scan(&fkc); err != nil {
		return "", false, fmt.Errorf("read foreign_key_checks: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s CHARACTER SET %s COLLATE %s", quoteIdent(scratch), cs, coll)); err != nil {
		return "", false, fmt.Errorf("create the throwaway database %s: %w", scratch, err)
	}
	defer func() {
		wctx := context.WithoutCancel(ctx)
		_, uerr := conn.ExecContext(wctx, "USE "+quoteIdent(orig.String))
		_, ferr := conn.ExecContext(wctx, "SET SESSION foreign_key_checks = "+strconv.Itoa(fkc))
		_, derr := conn.ExecContext(wctx, "DROP DATABASE "+quoteIdent(scratch))
		err = errors.Join(err, uerr, ferr, derr)
	}()
	for _, q := range []string{"USE " + quoteIdent(scratch), "SET SESSION foreign_key_checks = 0"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return "", false, fmt.Errorf("prepare %s: %w", scratch, err)
		}
	}
	for _, c := range creates {
		if _, err := conn.ExecContext(ctx, c); err != nil {
			return "", false, nil
		}
	}
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return "", false, nil
	}
	img, err := d.PreImage(ctx, conn, objs)
	if err != nil {
		return "", false, err
	}
	return strings.ReplaceAll(img, quoteIdent(scratch)+".", quoteIdent(orig.String)+"."), true, nil
}

// InTransaction reports whether conn's transaction is open, as MariaDB's
// @@in_transaction says: false after a statement that committed it
// implicitly. MySQL has no such variable; there it reports true, which
// records the statement in its transaction as if none happened.
func (*Dialect) InTransaction(ctx context.Context, conn *sql.Conn) (bool, error) {
	var in int
	err := conn.QueryRowContext(ctx, "SELECT @@in_transaction").Scan(&in)
	var me *driver.MySQLError
	if errors.As(err, &me) && me.Number == 1193 { // unknown system variable
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read @@in_transaction: %w", err)
	}
	return in == 1, nil
}

// Definite reports whether err is the server's answer that a statement
// failed: not a lost connection, and not an interrupted statement (1317
// KILL QUERY, 1927 the connection killed, 1053 a shutdown, 1969 and 3024
// max_statement_time), after which a non-atomic statement may have done
// part or all of its work.
func (*Dialect) Definite(err error) bool {
	if oe := (*OnlineError)(nil); errors.As(err, &oe) {
		return true // the tool failed and the tables are as they were
	}
	var me *driver.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Number {
	case 1317, 1927, 1053, 1969, 3024, 2013:
		return false
	}
	return true
}

// Retryable reports a deadlock (1213): InnoDB rolled back the victim's
// whole transaction, which may succeed when run again.
func (*Dialect) Retryable(err error) bool {
	var me *driver.MySQLError
	return errors.As(err, &me) && me.Number == 1213
}

// KillQuery stops the statement session runs, from a connection of db:
// the statement ends with error 1317 and the session stays, so that its
// run can record the outcome.
func (*Dialect) KillQuery(ctx context.Context, db *sql.DB, session string) error {
	id, err := strconv.ParseUint(session, 10, 64)
	if err != nil {
		return fmt.Errorf("kill query: session %q is not a connection id", session)
	}
	if _, err := db.ExecContext(ctx, "KILL QUERY "+strconv.FormatUint(id, 10)); err != nil {
		return fmt.Errorf("kill query %d: %w", id, err)
	}
	return nil
}
