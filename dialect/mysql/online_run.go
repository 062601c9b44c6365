package mysql

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schemactl/schemactl/schema/sqltext"
)

// keepAlive is how often the run's connection is pinged while the tool
// works: it holds the migration lock, which a server's wait_timeout would
// otherwise end with the session.
const keepAlive = 20 * time.Second

// stopGrace is how long the tool gets to remove its triggers and copy
// after an interrupt before it is killed.
const stopGrace = time.Minute

// AlterOnline runs stmt, an ALTER TABLE that OnlineCheck sent online,
// through the tool on conn's database, and makes the result exactly what
// the plain statement makes: the names of foreign keys and indexes the
// tool changed are put back on the table and on the tables that refer to
// it. progress hears the tool's progress lines. When the tool fails and
// the tables are as they were, the error is an *OnlineError: the
// statement did not take effect. Cancelling ctx interrupts the tool,
// which removes its triggers and copy.
func (t *OnlineTool) AlterOnline(ctx context.Context, conn *sql.Conn, stmt string, progress func(string)) error {
	a, ok, err := t.parseOnline(ctx, conn, stmt)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("online change: %q is not an ALTER TABLE the tool runs", stmt)
	}
	objs, err := t.related(ctx, conn, a)
	if err != nil {
		return err
	}
	pre, err := t.d.PreImage(ctx, conn, objs)
	if err != nil {
		return err
	}
	want, err := t.expected(ctx, conn, a, stmt, pre)
	if err != nil {
		return err
	}
	if err := noLeftovers(ctx, conn, a); err != nil {
		return err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read sql_mode: %w", err)
	}
	cnf, remove, err := t.optionFile()
	if err != nil {
		return err
	}
	defer remove()
	args := toolArgs(cnf, mode, a)
	out, runErr := t.run(ctx, conn, args, progress)
	if runErr != nil {
		// The tool removes its triggers and copy when it fails; a kill
		// may not have let it.
		if _, cerr := t.clean(context.WithoutCancel(ctx), conn, a); cerr != nil {
			runErr = errors.Join(runErr, cerr)
		}
		now, err := t.d.PreImage(context.WithoutCancel(ctx), conn, objs)
		if err == nil && now == pre {
			return &OnlineError{Table: a.table, Why: runErr.Error(), Output: out}
		}
		return fmt.Errorf("online change of %s: %w, and the tables are no longer as they were before it\n\tpt-online-schema-change said:\n\t%s",
			quoteIdent(a.table), runErr, strings.ReplaceAll(strings.TrimSpace(out), "\n", "\n\t"))
	}
	// The table as it was holds the foreign key names the tool moved
	// away from: it goes first.
	if err := t.dropOld(ctx, conn, a, stmt); err != nil {
		return err
	}
	if err := t.restoreNames(ctx, conn, objs, want); err != nil {
		return fmt.Errorf("online change of %s ran; putting back the names the tool changed failed: %w", quoteIdent(a.table), err)
	}
	now, err := t.d.PreImage(ctx, conn, objs)
	if err != nil {
		return err
	}
	if now != want {
		return fmt.Errorf("online change of %s ran, but the tables are not what the plain statement makes:\n\twant: %s\n\tgot:  %s",
			quoteIdent(a.table), strings.ReplaceAll(want, "\n", "\n\t      "), strings.ReplaceAll(now, "\n", "\n\t      "))
	}
	return nil
}

// noLeftovers refuses to start when a table has a name the tool is about
// to use: what it holds is not the tool's to drop.
func noLeftovers(ctx context.Context, conn *sql.Conn, a *onlineAlter) error {
	for _, n := range []string{copyName(a.table), oldName(a.table)} {
		found, err := tableExists(ctx, conn, a.db, n)
		if err != nil {
			return fmt.Errorf("online change of %s: %w", quoteIdent(a.table), err)
		}
		if found {
			return &OnlineError{Table: a.table, Why: fmt.Sprintf("a table %s exists, a name the tool uses: an earlier pt-online-schema-change left it? Drop it, then run again", quoteIdent(n))}
		}
	}
	return nil
}

// toolArgs are the tool's arguments for a, with the option file cnf and
// the migration's sql_mode.
func toolArgs(cnf, mode string, a *onlineAlter) []string {
	return []string{
		"--defaults-file=" + cnf,
		"--alter", a.clauses,
		"--execute",
		"--new-table-name", copyName(a.table),
		// The table as it was is checked for rows the copy clipped
		// before it is dropped (clipped).
		"--no-drop-old-table",
		// Children are re-pointed by ALTER TABLE, atomically; drop_swap
		// would leave a moment without the table.
		"--alter-foreign-keys-method", "rebuild_constraints",
		"--charset", "utf8mb4",
		// The statements' own sql_mode: a value read or written by the
		// triggers and the copy means what it means in the migration.
		"--set-vars", "sql_mode='" + strings.ReplaceAll(mode, ",", `\,`) + "'",
		"--progress", "time,2",
		// Every write to the table waits for the chunk being copied:
		// the chunk's INSERT … SELECT holds the copy's AUTO-INC table
		// lock to its end where innodb_autoinc_lock_mode is below 2
		// (MariaDB's default is 1), and each trigger's REPLACE into the
		// copy needs that lock; UPDATEs and DELETEs of the chunk's rows
		// wait for its row locks on any server. The tool's default of
		// 0.5 s chunks made writers wait 0.5–0.7 s again and again
		// (TestOnlineAlterUnderWrites); 0.1 s keeps them near 0.2 s and
		// copies as fast here.
		"--chunk-time", "0.1",
		fmt.Sprintf("D=%s,t=%s", a.db, a.table),
	}
}

// dropOld drops the table as it was before stmt, which the tool kept,
// once no row of it is one the copy clipped or dropped; otherwise it is
// kept, and the error names the rows.
func (t *OnlineTool) dropOld(ctx context.Context, conn *sql.Conn, a *onlineAlter, stmt string) error {
	old := oldName(a.table)
	problems, err := t.clipped(ctx, conn, stmt, a.table, old)
	if err != nil {
		return fmt.Errorf("online change of %s ran; checking the copy against %s failed (%w); %s is kept", quoteIdent(a.table), quoteIdent(old), err, quoteIdent(old))
	}
	if len(problems) > 0 {
		return fmt.Errorf("online change of %s ran, but the copy dropped or changed rows where the plain statement would have failed: %s has %s; "+
			"it is kept as it was: compare it with %s, repair, then drop it",
			quoteIdent(a.table), quoteIdent(old), strings.Join(problems, "; "), quoteIdent(a.table))
	}
	if _, err := conn.ExecContext(ctx, "DROP TABLE "+quoteIdent(a.db)+"."+quoteIdent(old)); err != nil {
		return fmt.Errorf("online change of %s ran; drop the table as it was, %s: %w", quoteIdent(a.table), quoteIdent(old), err)
	}
	return nil
}

// oldName is the name the tool gives the table as it was, at the swap.
func oldName(table string) string {
	n := []rune("_" + table + "_old")
	if len(n) > 64 {
		n = n[:64]
	}
	return string(n)
}

func tableExists(ctx context.Context, conn *sql.Conn, db, name string) (bool, error) {
	var c int
	err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", db, name).Scan(&c)
	return c > 0, err
}

// copyName is the name of the tool's altered copy of table: its own
// default, within the 64 characters a name may have.
func copyName(table string) string {
	base := []rune(table)
	if len(base) > 64-5 {
		base = base[:64-5]
	}
	return "_" + string(base) + "_new"
}

// related are the table a changes and the tables whose foreign keys refer
// to it, which the tool re-points at the new table.
func (t *OnlineTool) related(ctx context.Context, conn *sql.Conn, a *onlineAlter) ([]sqltext.Object, error) {
	objs := []sqltext.Object{{Kind: "table", Name: a.table}}
	rows, err := conn.QueryContext(ctx, `SELECT DISTINCT CONSTRAINT_SCHEMA, TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS
		WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ? AND NOT (CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?)
		ORDER BY 1, 2`, a.db, a.table, a.db, a.table)
	if err != nil {
		return nil, fmt.Errorf("read the tables referring to %s: %w", quoteIdent(a.table), err)
	}
	defer rows.Close()
	for rows.Next() {
		var o sqltext.Object
		if err := rows.Scan(&o.Schema, &o.Name); err != nil {
			return nil, err
		}
		o.Kind = "table"
		if o.Schema == a.db {
			o.Schema = ""
		}
		objs = append(objs, o)
	}
	return objs, rows.Err()
}

// expected is the image of the related tables (pre) after stmt: the
// table as the plain statement leaves it (on an empty copy), the others
// as they are.
func (t *OnlineTool) expected(ctx context.Context, conn *sql.Conn, a *onlineAlter, stmt, pre string) (string, error) {
	head := imageHead("table", a.db, a.table)
	var lines []string
	own := ""
	for _, l := range strings.Split(pre, "\n") {
		if strings.HasPrefix(l, head) {
			own = l
			continue
		}
		lines = append(lines, l)
	}
	post, ok, err := t.d.PostImage(ctx, conn, []sqltext.Object{{Kind: "table", Name: a.table}}, own, stmt)
	if err != nil {
		return "", fmt.Errorf("online change of %s: compute what it makes: %w", quoteIdent(a.table), err)
	}
	if !ok {
		return "", &OnlineError{Table: a.table, Why: "the statement fails on an empty copy of the table, so what it makes cannot be checked"}
	}
	return sortedImage(append(lines, post)), nil
}

// imageHead is how an image line of an object starts.
func imageHead(kind, db, name string) string {
	return fmt.Sprintf("%s %s.%s: ", kind, quoteIdent(db), quoteIdent(name))
}

func sortedImage(lines []string) string {
	out := append([]string(nil), lines...)
	slices.Sort(out)
	return strings.Join(out, "\n")
}

// optionFile writes the connection settings, password included, to a
// file only this user can read, for the tool's --defaults-file: on a
// command line any user of the machine could read it (ps). remove
// deletes it.
func (t *OnlineTool) optionFile() (path string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "schemactl-online-")
	if err != nil {
		return "", nil, fmt.Errorf("online change: option file: %w", err)
	}
	remove = func() { os.RemoveAll(dir) }
	var b strings.Builder
	b.WriteString("[client]\n")
	opt := func(k, v string) {
		fmt.Fprintf(&b, "%s=\"%s\"\n", k, strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v))
	}
	opt("user", t.cfg.User)
	opt("password", t.cfg.Passwd)
	if t.cfg.Net == "unix" {
		opt("socket", t.cfg.Addr)
	} else {
		host, port, err := net.SplitHostPort(t.cfg.Addr)
		if err != nil {
			remove()
			return "", nil, fmt.Errorf("online change: address %q: %w", t.cfg.Addr, err)
		}
		opt("host", host)
		opt("port", port)
	}
	path = filepath.Join(dir, "client.cnf")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		remove()
		return "", nil, fmt.Errorf("online change: option file: %w", err)
	}
	return path, remove, nil
}

// run runs the tool and returns the end of its output. While it runs,
// conn is pinged (keepAlive) and its progress lines go to progress. When
// ctx is done it is interrupted (SIGINT: it removes its triggers and
// copy) and, past stopGrace, killed.
func (t *OnlineTool) run(ctx context.Context, conn *sql.Conn, args []string, progress func(string)) (string, error) {
	cmd := exec.Command(t.path(), args...)
	toolProcess(cmd)
	cmd.Env = append(os.Environ(), "PTDEBUG=0")
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", t.path(), err)
	}
	lines := make(chan []string, 1)
	go func() {
		var tail []string
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			l := sc.Text()
			if progress != nil && strings.HasPrefix(l, "Copying ") {
				progress(strings.TrimSpace(l))
			}
			if tail = append(tail, l); len(tail) > 30 {
				tail = tail[1:]
			}
		}
		io.Copy(io.Discard, r)
		lines <- tail
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); w.Close() }()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	var (
		waitErr     error
		interrupted bool
		kill        <-chan time.Time
	)
	ctxDone := ctx.Done()
loop:
	for {
		select {
		case waitErr = <-done:
			break loop
		case <-tick.C:
			_ = conn.PingContext(context.WithoutCancel(ctx))
		case <-ctxDone:
			interrupted, ctxDone = true, nil
			_ = cmd.Process.Signal(os.Interrupt)
			kill = time.After(stopGrace)
		case <-kill:
			_ = cmd.Process.Kill()
		}
	}
	tail := strings.Join(<-lines, "\n")
	switch {
	case interrupted:
		return tail, fmt.Errorf("interrupted (%v)", context.Cause(ctx))
	case waitErr != nil:
		return tail, fmt.Errorf("pt-online-schema-change failed (%v)", waitErr)
	}
	return tail, nil
}
